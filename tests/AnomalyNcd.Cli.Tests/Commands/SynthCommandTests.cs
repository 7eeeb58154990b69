using AnomalyNcd.Core.Datasets;

namespace AnomalyNcd.Cli.Tests.Commands;

public class SynthCommandTests
{
    [Fact]
    public async Task Synth_SmallSet_WritesManifestAndFilesAndExitsZero()
    {
        using var temp = TestData.NewTempFolder();
        var output = temp.Combine("synthetic");
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var code = await AnomalyNcdCli.RunAsync(
            ["synth", "--lines", "2", "--images", "10", "--size", "128", "--seed", "5", "--out", output], stdout, stderr);

        Assert.Equal(0, code);
        Assert.Equal(string.Empty, stderr.ToString());
        var manifest = Manifest.Load(Path.Combine(output, "manifest.csv"));
        Assert.Equal(20, manifest.Rows.Count);
        Assert.All(manifest.Rows, r => Assert.True(File.Exists(manifest.Resolve(r.Image)) && File.Exists(manifest.Resolve(r.Mask!)) && File.Exists(manifest.Resolve(r.AnomalyMap!))));
        Assert.Equal(3, manifest.Rows.Count(r => r.Line == "line-a" && r.Label == "good"));
        Assert.Contains("wrote 20 images in 2 line(s)", stdout.ToString());
        Assert.Contains("images: 20/20", stdout.ToString());
    }

    [Theory]
    [InlineData("--lines", "0")]
    [InlineData("--images", "-3")]
    [InlineData("--size", "16")]
    [InlineData("--normal-fraction", "2")]
    public async Task Synth_OutOfRangeValue_OneErrorLineNamingTheOption(string option, string value)
    {
        using var temp = TestData.NewTempFolder();
        var output = temp.Combine("synthetic");
        var stderr = new StringWriter();

        var code = await AnomalyNcdCli.RunAsync(["synth", option, value, "--out", output], new StringWriter(), stderr);

        Assert.Equal(AnomalyNcdCli.ExitInvalidInput, code);
        var lines = stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith($"error: {option}: must be between", lines[0]);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public async Task Synth_NonEmptyOutput_RefusedWithoutTouchingIt()
    {
        using var temp = TestData.NewTempFolder();
        File.WriteAllText(temp.Combine("notes.txt"), "keep");
        var stderr = new StringWriter();

        var code = await AnomalyNcdCli.RunAsync(["synth", "--images", "2", "--size", "64", "--out", temp.Path], new StringWriter(), stderr);

        Assert.Equal(AnomalyNcdCli.ExitInvalidInput, code);
        Assert.Contains("not empty", stderr.ToString());
        Assert.Single(Directory.EnumerateFileSystemEntries(temp.Path));
    }

    [Fact]
    public async Task Synth_WithoutOut_ParseErrorNonZero()
    {
        var stderr = new StringWriter();

        var code = await AnomalyNcdCli.RunAsync(["synth", "--lines", "1"], new StringWriter(), stderr);

        Assert.NotEqual(0, code);
        Assert.Contains("--out", stderr.ToString());
    }
}
