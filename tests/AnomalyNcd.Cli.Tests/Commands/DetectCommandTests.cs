using AnomalyNcd.Core.Datasets;
using AnomalyNcd.Core.Detection;
using AnomalyNcd.Core.Synthetic;
using OpenCvSharp;

namespace AnomalyNcd.Cli.Tests.Commands;

public class DetectCommandTests
{
    private static string WriteSynthetic(TempFolder temp) =>
        SyntheticDatasetWriter.Write(new SyntheticOptions(Lines: 1, ImagesPerLine: 12, Size: 96, NormalFraction: 0.5, Seed: 2), temp.Combine("data")).ManifestPath;

    [Fact]
    public async Task FitThenScore_WritesFloatMapsOfImageSizeAndScoresCsv()
    {
        using var temp = TestData.NewTempFolder();
        var manifest = WriteSynthetic(temp);
        var detector = temp.Combine("det");
        var maps = temp.Combine("maps");
        var stderr = new StringWriter();

        var fitCode = await AnomalyNcdCli.RunAsync(["detect", "fit", "--manifest", manifest, "--line", "line-a", "--out", detector], new StringWriter(), stderr);
        var stdout = new StringWriter();
        var scoreCode = await AnomalyNcdCli.RunAsync(["detect", "score", "--detector", detector, "--manifest", manifest, "--out", maps], stdout, stderr);

        Assert.Equal(string.Empty, stderr.ToString());
        Assert.Equal(0, fitCode);
        Assert.Equal(0, scoreCode);
        var testRows = Manifest.Load(manifest).Rows.Where(r => r.Split == "test").ToList();
        var csv = File.ReadAllLines(Path.Combine(maps, "scores.csv"));
        Assert.Equal("image,score,label", csv[0]);
        Assert.Equal(testRows.Count, csv.Length - 1);
        var firstMap = Path.Combine(maps, "maps", DetectorManifest.MapRelativePaths(testRows, manifest)[0]);
        using var map = Cv2.ImRead(firstMap, ImreadModes.Unchanged);
        Assert.Equal(MatType.CV_32FC1, map.Type());
        Assert.Equal(new Size(96, 96), map.Size());
        Assert.Contains("image AUROC:", stdout.ToString());
        Assert.Contains("pixel AUPRO@0.3:", stdout.ToString());
    }

    [Fact]
    public async Task ScoredMaps_ReadBackByDiscoverMaps()
    {
        using var temp = TestData.NewTempFolder();
        var manifest = WriteSynthetic(temp);
        var detector = temp.Combine("det");
        var maps = temp.Combine("maps");
        Assert.Equal(0, await AnomalyNcdCli.RunAsync(["detect", "fit", "--manifest", manifest, "--line", "line-a", "--out", detector], new StringWriter(), new StringWriter()));
        Assert.Equal(0, await AnomalyNcdCli.RunAsync(["detect", "score", "--detector", detector, "--manifest", manifest, "--out", maps], new StringWriter(), new StringWriter()));
        var stderr = new StringWriter();
        var stdout = new StringWriter();

        var code = await AnomalyNcdCli.RunAsync(
            ["discover", "--manifest", manifest, "--maps", Path.Combine(maps, "maps"), "--out", temp.Combine("disc"), "--classes", "2", "--epochs", "1"], stdout, stderr);

        Assert.True(code == 0, stderr.ToString());
        // The manifest has ground-truth masks: MEBin's regions on the detector maps are scored against them.
        Assert.Contains("binarisation vs ground-truth masks", stdout.ToString());
        using var metrics = System.Text.Json.JsonDocument.Parse(File.ReadAllText(temp.Combine("disc", "metrics.json")));
        Assert.True(metrics.RootElement.GetProperty("binarization").GetProperty("groundTruthRegions").GetInt32() > 0);
        var testRows = Manifest.Load(manifest).Rows.Where(r => r.Split == "test" && r.Line == "line-a").ToList();
        var images = File.ReadAllLines(temp.Combine("disc", "images.csv"));
        Assert.Equal(testRows.Count, images.Length - 1);
    }

    [Fact]
    public async Task Score_DetectorOfAnotherLine_OneErrorLineNamingTheDetectorFile()
    {
        using var temp = TestData.NewTempFolder();
        var manifest = WriteSynthetic(temp);
        var detector = temp.Combine("det");
        await AnomalyNcdCli.RunAsync(["detect", "fit", "--manifest", manifest, "--line", "line-a", "--out", detector], new StringWriter(), new StringWriter());
        var stderr = new StringWriter();

        var code = await AnomalyNcdCli.RunAsync(["detect", "score", "--detector", detector, "--manifest", manifest, "--line", "line-b", "--out", temp.Combine("maps")], new StringWriter(), stderr);

        Assert.Equal(AnomalyNcdCli.ExitInvalidInput, code);
        Assert.StartsWith($"error: {Path.Combine(detector, PatchCoreDetector.MetadataFileName)}: detector was fitted on line 'line-a'", stderr.ToString());
        Assert.False(File.Exists(temp.Combine("maps", "scores.csv")));
    }

    [Fact]
    public async Task Fit_NoNormalTrainingRows_Refused()
    {
        using var temp = TestData.NewTempFolder();
        var manifest = WriteSynthetic(temp);
        var stderr = new StringWriter();

        var code = await AnomalyNcdCli.RunAsync(["detect", "fit", "--manifest", manifest, "--line", "no-such-line", "--out", temp.Combine("det")], new StringWriter(), stderr);

        Assert.Equal(AnomalyNcdCli.ExitInvalidInput, code);
        Assert.Contains("no rows of split 'train' with a normal label in line 'no-such-line'", stderr.ToString());
        Assert.False(File.Exists(temp.Combine("det", PatchCoreDetector.MetadataFileName)));
    }

    [Fact]
    public async Task Fit_UnreadableTrainingImage_OneErrorLineNamingIt()
    {
        using var temp = TestData.NewTempFolder();
        var manifest = WriteSynthetic(temp);
        var loaded = Manifest.Load(manifest);
        var victim = loaded.Resolve(DetectorManifest.TrainingRows(loaded, null)[0].Image);
        File.WriteAllBytes(victim, [0x89, 0x50, 0x4E]);
        var stderr = new StringWriter();

        var code = await AnomalyNcdCli.RunAsync(["detect", "fit", "--manifest", manifest, "--out", temp.Combine("det")], new StringWriter(), stderr);

        Assert.Equal(AnomalyNcdCli.ExitInvalidInput, code);
        Assert.StartsWith($"error: {victim}:", stderr.ToString());
    }

    [Fact]
    public async Task Bench_OldSpelling_NamesBenchDetectAndFails()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var code = await AnomalyNcdCli.RunAsync(["detect", "bench", "--images", "1"], stdout, stderr);

        Assert.Equal(AnomalyNcdCli.ExitInvalidInput, code);
        Assert.Equal(string.Empty, stdout.ToString());
        Assert.Equal("error: 'detect bench' is now 'bench detect' (same options): anomalyncd bench detect --help", stderr.ToString().TrimEnd());
    }
}
