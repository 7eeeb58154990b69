using AnomalyNcd.Core.Datasets;
using OpenCvSharp;

namespace AnomalyNcd.Cli.Tests.Commands;

public class ImportCommandTests
{
    private static async Task<(int Code, string Out, string Error)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await AnomalyNcdCli.RunAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static void WriteImage(string path, byte value = 0)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var mat = new Mat(6, 8, MatType.CV_8UC1, new Scalar(value));
        Assert.True(Cv2.ImWrite(path, mat));
    }

    /// <summary>MT_Free with n1, n2 and MT_Break with b1 (empty mask) and b2 (no mask).</summary>
    private static (string Root, string Split) BuildMtd(TempFolder temp, string splitText)
    {
        var root = temp.Combine("mtd");
        foreach (var stem in new[] { "n1", "n2" })
        {
            WriteImage(Path.Combine(root, "MT_Free", "Imgs", stem + ".jpg"), 50);
            WriteImage(Path.Combine(root, "MT_Free", "Imgs", stem + ".png"));
        }

        WriteImage(Path.Combine(root, "MT_Break", "Imgs", "b1.jpg"), 50);
        WriteImage(Path.Combine(root, "MT_Break", "Imgs", "b1.png"));
        WriteImage(Path.Combine(root, "MT_Break", "Imgs", "b2.jpg"), 50);
        var split = temp.Combine("train.txt");
        File.WriteAllText(split, splitText);
        return (root, split);
    }

    [Fact]
    public async Task ImportMtd_WritesManifestAndPrintsSummaryAndWarnings()
    {
        using var temp = TestData.NewTempFolder();
        var (root, split) = BuildMtd(temp, "n2.jpg\n");
        var output = temp.Combine("out", "mtd.csv");

        var (code, stdout, stderr) = await RunAsync("import", "mtd", "--root", root, "--split", split, "--out", output);

        Assert.Equal(0, code);
        var manifest = Manifest.Load(output);
        Assert.Equal(4, manifest.Rows.Count);
        Assert.Equal("train", Assert.Single(manifest.Rows, r => r.Image.EndsWith("n2.jpg", StringComparison.Ordinal)).Split);
        Assert.Contains("wrote " + output + ": 4 rows, 2 warning(s)", stdout);
        Assert.Matches(@"MT_Free\s+1\s+1\s+2", stdout);
        Assert.Matches(@"total\s+3\s+1\s+4", stdout);
        Assert.Contains("warning: " + Path.Combine(root, "MT_Break", "Imgs", "b1.png") + ": mask of a MT_Break image has no pixel above 127", stderr);
        Assert.Contains("warning: " + Path.Combine(root, "MT_Break", "Imgs", "b2.jpg") + ": image without a mask", stderr);
    }

    [Fact]
    public async Task ImportMtd_StrictPairing_FailsWithoutWritingTheManifest()
    {
        using var temp = TestData.NewTempFolder();
        var (root, split) = BuildMtd(temp, "n2.jpg\n");
        var output = temp.Combine("mtd.csv");

        var (code, _, stderr) = await RunAsync("import", "mtd", "--root", root, "--split", split, "--out", output, "--strict-pairing");

        Assert.Equal(2, code);
        Assert.Contains($"error: {root}: 1 unpaired file(s)", stderr);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public async Task ImportMtd_MissingRoot_ExitsWithInvalidInput()
    {
        using var temp = TestData.NewTempFolder();
        var missing = temp.Combine("nowhere");
        File.WriteAllText(temp.Combine("train.txt"), "a.jpg\n");

        var (code, stdout, stderr) = await RunAsync("import", "mtd", "--root", missing, "--split", temp.Combine("train.txt"), "--out", temp.Combine("m.csv"));

        Assert.Equal(2, code);
        Assert.Equal($"error: {missing}: dataset folder does not exist", stderr.Trim());
        Assert.DoesNotContain("wrote", stdout);
    }

    [Fact]
    public async Task ImportMtd_MissingSplitFile_ExitsWithInvalidInput()
    {
        using var temp = TestData.NewTempFolder();
        var (root, _) = BuildMtd(temp, "n1.jpg\n");
        var missing = temp.Combine("no-such-list.txt");

        var (code, _, stderr) = await RunAsync("import", "mtd", "--root", root, "--split", missing, "--out", temp.Combine("m.csv"));

        Assert.Equal(2, code);
        Assert.Equal($"error: {missing}: split file does not exist", stderr.Trim());
    }

    [Fact]
    public async Task ImportMtd_UnknownNameInSplitFile_ExitsNamingTheLine()
    {
        using var temp = TestData.NewTempFolder();
        var (root, split) = BuildMtd(temp, "n1.jpg\nb1.jpg\n");
        var output = temp.Combine("m.csv");

        var (code, _, stderr) = await RunAsync("import", "mtd", "--root", root, "--split", split, "--out", output);

        Assert.Equal(2, code);
        Assert.StartsWith($"error: {split}: line 2: 'b1.jpg' is not an image in MT_Free/Imgs", stderr.Trim());
        Assert.False(File.Exists(output));
    }

    [Fact]
    public async Task ImportMtd_MissingRequiredOption_FailsWithParseError()
    {
        var (code, _, stderr) = await RunAsync("import", "mtd", "--root", "x", "--out", "y.csv");

        Assert.NotEqual(0, code);
        Assert.Contains("--split", stderr);
    }

    [Fact]
    public async Task ImportFolders_WithSplitAndLine_WritesRows()
    {
        using var temp = TestData.NewTempFolder();
        WriteImage(temp.Combine("data", "dent", "1.png"));
        WriteImage(temp.Combine("data", "scratch", "2.png"));
        var output = temp.Combine("m.csv");

        var (code, stdout, _) = await RunAsync("import", "folders", "--root", temp.Combine("data"), "--out", output, "--split", "test", "--line", "L2");

        Assert.Equal(0, code);
        Assert.Equal(
            [new ManifestRow("data/dent/1.png", null, null, "dent", "L2", "test"), new ManifestRow("data/scratch/2.png", null, null, "scratch", "L2", "test")],
            Manifest.Load(output).Rows);
        Assert.Contains("warnings: 0", stdout);
    }

    [Fact]
    public async Task ImportVoc_EmptyResult_FailsWithoutManifest()
    {
        using var temp = TestData.NewTempFolder();
        Directory.CreateDirectory(temp.Combine("voc", "JPEGImages"));
        Directory.CreateDirectory(temp.Combine("voc", "Annotations"));
        var output = temp.Combine("m.csv");

        var (code, _, stderr) = await RunAsync("import", "voc", "--root", temp.Combine("voc"), "--out", output);

        Assert.Equal(2, code);
        Assert.Contains("no images found for the voc layout", stderr);
        Assert.False(File.Exists(output));
    }
}
