using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Datasets;
using AnomalyNcd.Core.Extraction;
using AnomalyNcd.Core.Tests.Support;

namespace AnomalyNcd.Cli.Tests.Commands;

public class DemoCommandTests
{
    private const string TableHeader = "line     surface          images  defective found  normal flagged  regions  crops  box FNR  box FPR";

    [Fact]
    public async Task Demo_OneLine_PrintsSummaryRowAndWritesManifestAndRegions()
    {
        using var temp = TestData.NewTempFolder();
        var output = temp.Combine("demo");

        var run = await Demo("--out", output, "--lines", "1", "--images", "20", "--seed", "2", "--epochs", "2");

        Assert.Equal(0, run.Code);
        Assert.Equal(string.Empty, run.Error);
        var lines = run.Output.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var header = lines.IndexOf(TableHeader);
        Assert.True(header >= 0, "summary table header missing:\n" + run.Output);
        var row = lines[header + 1];
        Assert.StartsWith("line-a ", row);

        var manifest = Manifest.Load(Path.Combine(output, "data", "manifest.csv"));
        Assert.Equal(20, manifest.Rows.Count);
        var testImages = manifest.Rows.Where(r => r.Split == "test").Select(r => r.Image).ToHashSet(StringComparer.Ordinal);
        var fields = row.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(testImages.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), fields[2]);

        var regions = CsvTable.Read(Path.Combine(output, "regions", "regions.csv"));
        Assert.Equal(RegionRecord.Header, regions[0]);
        Assert.All(regions.Skip(1), r => Assert.Contains(r[0], testImages));
        Assert.All(regions.Skip(1), r => Assert.True(File.Exists(Path.Combine(output, "regions", r[Array.IndexOf(RegionRecord.Header, "crop")]))));
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(Path.Combine(output, "regions")), e => Path.GetFileName(e).StartsWith('.'));

        // Step 3: discovery per line, with its table row and files.
        var discoveryHeader = lines.FindIndex(l => l.StartsWith("line     classes  images  regions", StringComparison.Ordinal));
        Assert.True(discoveryHeader >= 0, "discovery table missing:\n" + run.Output);
        Assert.StartsWith("line-a ", lines[discoveryHeader + 1]);
        var images = CsvTable.Read(Path.Combine(output, "discovery", "line-a", "images.csv"));
        Assert.Equal(testImages.OrderBy(i => i, StringComparer.Ordinal), images.Skip(1).Select(r => r[0]).OrderBy(i => i, StringComparer.Ordinal));
        Assert.True(File.Exists(Path.Combine(output, "discovery", "line-a", "metrics.json")));
    }

    [Fact]
    public async Task Demo_RunAgainOnItsOwnFolder_ReplacesIt()
    {
        using var temp = TestData.NewTempFolder();
        var output = temp.Combine("demo");
        Assert.Equal(0, (await Demo("--out", output, "--lines", "1", "--images", "8", "--seed", "1", "--epochs", "0")).Code);
        File.WriteAllText(Path.Combine(output, "stale.txt"), "from the first run");

        var second = await Demo("--out", output, "--lines", "2", "--images", "6", "--seed", "2", "--epochs", "0");

        Assert.Equal(0, second.Code);
        Assert.False(File.Exists(Path.Combine(output, "stale.txt")));
        var manifest = Manifest.Load(Path.Combine(output, "data", "manifest.csv"));
        Assert.Equal(12, manifest.Rows.Count);
        Assert.Contains(second.Output.Split('\n'), l => l.StartsWith("line-b ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Demo_NonEmptyForeignFolder_RefusedAndLeftUntouched()
    {
        using var temp = TestData.NewTempFolder();
        var output = temp.Combine("mine");
        Directory.CreateDirectory(Path.Combine(output, "sub"));
        File.WriteAllText(Path.Combine(output, "notes.txt"), "keep me");
        File.WriteAllText(Path.Combine(output, "sub", "data.csv"), "a,b\n");
        var before = Snapshot(output);

        var run = await Demo("--out", output, "--lines", "1", "--images", "5", "--epochs", "0");

        Assert.Equal(AnomalyNcdCli.ExitInvalidInput, run.Code);
        var line = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"error: {output}: ", line);
        Assert.Contains("not empty", line);
        Assert.Equal(before, Snapshot(output));
    }

    [Fact]
    public async Task Demo_OutIsAFile_RefusedAsBadInput()
    {
        using var temp = TestData.NewTempFolder();
        var file = temp.Combine("taken.txt");
        File.WriteAllText(file, "a file");

        var run = await Demo("--out", file, "--lines", "1", "--images", "5", "--epochs", "0");

        Assert.Equal(AnomalyNcdCli.ExitInvalidInput, run.Code);
        Assert.StartsWith($"error: {file}: ", Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        Assert.Equal("a file", File.ReadAllText(file));
    }

    [Theory]
    [InlineData("--lines", "0")]
    [InlineData("--images", "0")]
    public async Task Demo_OutOfRangeOption_RefusedBeforeTouchingTheFolder(string option, string value)
    {
        using var temp = TestData.NewTempFolder();
        var fresh = temp.Combine("fresh");
        var earlier = temp.Combine("earlier");
        Assert.Equal(0, (await Demo("--out", earlier, "--lines", "1", "--images", "5", "--epochs", "0")).Code);
        var before = Snapshot(earlier);

        var onFresh = await Demo("--out", fresh, option, value);
        var onEarlier = await Demo("--out", earlier, option, value);

        foreach (var run in new[] { onFresh, onEarlier })
        {
            Assert.Equal(AnomalyNcdCli.ExitInvalidInput, run.Code);
            Assert.StartsWith($"error: {option}: must be between", Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        }

        Assert.False(Directory.Exists(fresh));
        Assert.Equal(before, Snapshot(earlier));
    }

    private static async Task<(int Code, string Output, string Error)> Demo(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await AnomalyNcdCli.RunAsync(["demo", .. args], stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Relative path and content (hex) of every file, and every folder, below <paramref name="folder"/>.</summary>
    private static string Snapshot(string folder) =>
        string.Join("\n", Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(p => Path.GetRelativePath(folder, p) + " " + (File.Exists(p) ? Convert.ToHexString(File.ReadAllBytes(p)) : "<dir>")));
}
