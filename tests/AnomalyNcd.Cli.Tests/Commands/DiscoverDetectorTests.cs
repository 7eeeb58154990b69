using System.Text.Json;
using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Detection;
using AnomalyNcd.Core.Maps;
using AnomalyNcd.Core.Synthetic;

namespace AnomalyNcd.Cli.Tests.Commands;

/// <summary><c>discover --detector</c>: raw images → the detector's maps → normal-referenced MEBin → classes.</summary>
public class DiscoverDetectorTests
{
    [Fact]
    public async Task DiscoverDetector_RawImages_ScoredBinarisedAgainstTheNormalCalibrationAndDiscovered()
    {
        using var temp = TestData.NewTempFolder();
        var data = SyntheticDatasetWriter.Write(new SyntheticOptions(Lines: 1, ImagesPerLine: 24, Size: 96, NormalFraction: 0.5, Seed: 7), temp.Combine("data"));
        var detector = temp.Combine("det");
        var fit = await AnomalyNcdCli.RunAsync(["detect", "fit", "--manifest", data.ManifestPath, "--out", detector, "--precision", "fp32", "--coreset", "0.25"], new StringWriter(), new StringWriter());
        Assert.Equal(0, fit);
        Assert.True(File.Exists(Path.Combine(detector, NormalCalibration.FileName)));

        var output = temp.Combine("out");
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await AnomalyNcdCli.RunAsync(["discover", "--manifest", data.ManifestPath, "--detector", detector, "--out", output, "--epochs", "1", "--classes", "3"], stdout, stderr);

        Assert.True(code == 0, stderr.ToString());
        Assert.Contains("images with a region:", stdout.ToString());
        // The detector scored every test image into a float map, and no per-line batch calibration was learnt.
        var testRows = Core.Datasets.Manifest.Load(data.ManifestPath).Rows.Count(r => r.Split == "test");
        Assert.Equal(testRows, Directory.GetFiles(Path.Combine(output, "crops", "detector-maps"), "*.tiff", SearchOption.AllDirectories).Length);
        Assert.Empty(Directory.GetFiles(Path.Combine(output, "crops", "maps"), "*.calibration.json"));
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "metrics.json")));
        var regions = metrics.RootElement.GetProperty("regions");
        Assert.Equal(testRows, regions.GetProperty("images").GetInt32());
        Assert.True(regions.GetProperty("defectiveImagesWithRegions").GetInt32() > 0);
        Assert.True(metrics.RootElement.GetProperty("nmi").GetDouble() >= 0);
        Assert.Equal("test", metrics.RootElement.GetProperty("predictionViews").GetString()); // a detector's regions: the reference's view
        // Raw images take the persistent-peaks rule unless told otherwise.
        Assert.Equal("persistent-peaks", regions.GetProperty("rule").GetString());

        // The maps it scored, measured against the labels with the detector's normal-referenced scores as well.
        var quality = new StringWriter();
        Assert.Equal(0, await AnomalyNcdCli.RunAsync(["detect", "quality", "--manifest", data.ManifestPath, "--maps", Path.Combine(output, "crops", "detector-maps"), "--detector", detector], quality, new StringWriter()));
        foreach (var name in new[] { "minus the position reference", "standardised by position", "standardised, mean of the top 2" })
        {
            var line = Assert.Single(quality.ToString().Split('\n'), l => l.Contains($"normal-referenced image AUROC ({name}", StringComparison.Ordinal));
            Assert.InRange(double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture), 0.5, 1.0);
        }
    }

    [Fact]
    public async Task DiscoverDetector_RegionCoreOutsideZeroToOne_OneErrorLineNamingTheOption()
    {
        using var temp = TestData.NewTempFolder();
        var data = SyntheticDatasetWriter.Write(new SyntheticOptions(Lines: 1, ImagesPerLine: 8, Size: 64, Seed: 10), temp.Combine("data"));
        var stderr = new StringWriter();

        var code = await AnomalyNcdCli.RunAsync(["discover", "--manifest", data.ManifestPath, "--regions", "maps", "--region-core", "1.5", "--out", temp.Combine("out"), "--classes", "2"], new StringWriter(), stderr);

        Assert.Equal(2, code);
        var error = Assert.Single(stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("error:", StringComparison.Ordinal));
        Assert.Contains("--region-core", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(temp.Combine("out")));
    }

    [Theory]
    [InlineData("--peak-prominence", "1.5")]
    [InlineData("--peak-persistence", "-2")]
    [InlineData("--erode-kernel", "0")]
    [InlineData("--token-coverage", "0")]
    [InlineData("--token-coverage", "1.2")]
    [InlineData("--image-gate", "1.5")]
    [InlineData("--image-gate", "most")]
    [InlineData("--region-gate", "true", "--image-gate", "off")]
    [InlineData("--region-gate", "true", "--scale-top", "peak")]
    [InlineData("--area-gate", "true", "--image-gate", "off")]
    [InlineData("--area-gate", "true", "--position-spread", "false")]
    [InlineData("--peak-cut", "0")]
    [InlineData("--peak-cut", "1.5")]
    public async Task DiscoverMaps_RegionRuleSettingOutOfRange_OneErrorLineNamingTheOptionAndNothingWritten(string option, string value, params string[] with)
    {
        using var temp = TestData.NewTempFolder();
        var data = SyntheticDatasetWriter.Write(new SyntheticOptions(Lines: 1, ImagesPerLine: 8, Size: 64, Seed: 10), temp.Combine("data"));
        var stderr = new StringWriter();

        var code = await AnomalyNcdCli.RunAsync(["discover", "--manifest", data.ManifestPath, "--regions", "maps", "--region-rule", "persistent-peaks", option, value, .. with, "--out", temp.Combine("out"), "--classes", "2"], new StringWriter(), stderr);

        Assert.Equal(2, code);
        var error = Assert.Single(stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("error:", StringComparison.Ordinal));
        Assert.Contains(option, error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(temp.Combine("out")));
    }

    [Fact]
    public async Task DiscoverDetector_DetectorWithoutCalibration_OneErrorLineNamingTheFileAndNothingWritten()
    {
        using var temp = TestData.NewTempFolder();
        var data = SyntheticDatasetWriter.Write(new SyntheticOptions(Lines: 1, ImagesPerLine: 12, Size: 64, NormalFraction: 0.5, Seed: 8), temp.Combine("data"));
        var detector = temp.Combine("det");
        Assert.Equal(0, await AnomalyNcdCli.RunAsync(["detect", "fit", "--manifest", data.ManifestPath, "--out", detector, "--precision", "fp32", "--coreset", "0.25"], new StringWriter(), new StringWriter()));
        File.Delete(Path.Combine(detector, NormalCalibration.FileName));
        var stderr = new StringWriter();

        var code = await AnomalyNcdCli.RunAsync(["discover", "--manifest", data.ManifestPath, "--detector", detector, "--out", temp.Combine("out"), "--classes", "2"], new StringWriter(), stderr);

        Assert.Equal(2, code);
        var lines = stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var error = Assert.Single(lines, l => l.StartsWith("error:", StringComparison.Ordinal));
        Assert.Contains(Path.Combine(detector, NormalCalibration.FileName), error);
        Assert.Contains("fit it again", error);
        Assert.False(Directory.Exists(temp.Combine("out")) && Directory.EnumerateFileSystemEntries(temp.Combine("out")).Any());
    }

    [Fact]
    public async Task DiscoverDetector_DamagedOrOtherVersionDetector_RefusedNamingTheFile()
    {
        using var temp = TestData.NewTempFolder();
        var data = SyntheticDatasetWriter.Write(new SyntheticOptions(Lines: 1, ImagesPerLine: 8, Size: 64, Seed: 9), temp.Combine("data"));
        var detector = temp.Combine("det");
        Directory.CreateDirectory(detector);
        var json = Path.Combine(detector, PatchCoreDetector.MetadataFileName);
        await File.WriteAllTextAsync(json, "{\"formatVersion\": 99}");
        var stderr = new StringWriter();

        var version = await AnomalyNcdCli.RunAsync(["discover", "--manifest", data.ManifestPath, "--detector", detector, "--out", temp.Combine("out"), "--classes", "2"], new StringWriter(), stderr);

        Assert.Equal(2, version);
        Assert.Contains(json, stderr.ToString());
        Assert.Contains("version 99", stderr.ToString());

        await File.WriteAllTextAsync(json, "{ not json");
        stderr = new StringWriter();
        var damaged = await AnomalyNcdCli.RunAsync(["discover", "--manifest", data.ManifestPath, "--detector", detector, "--out", temp.Combine("out"), "--classes", "2"], new StringWriter(), stderr);

        Assert.Equal(2, damaged);
        Assert.Contains(json, stderr.ToString());
        Assert.Contains("not a detector file", stderr.ToString());
    }

    [Fact]
    public async Task DiscoverMaps_PerImageNormalisedSet_RefusedByDefaultAndAcceptedWithTheGlobalMinimumFallback()
    {
        using var temp = TestData.NewTempFolder();
        var data = SyntheticDatasetWriter.Write(new SyntheticOptions(Lines: 1, ImagesPerLine: 12, Size: 64, Seed: 10), temp.Combine("data"));
        var manifest = Core.Datasets.Manifest.Load(data.ManifestPath);
        var maps = temp.Combine("per-image");
        foreach (var row in manifest.Rows.Where(r => r.Split == "test"))
        {
            // What many detectors write: every map stretched to its own 0..255.
            var map = AnomalyMapFile.Read(manifest.Resolve(row.AnomalyMap!));
            var (min, max) = map.Range();
            var stretched = new FloatMap(map.Width, map.Height, [.. map.Values.Select(v => max > min ? (v - min) / (max - min) * 255f : 0f)]);
            stretched[0, 0] = 255f;
            AnomalyMapFile.Write(Path.Combine(maps, Path.GetFileNameWithoutExtension(row.Image) + ".png"), stretched, AnomalyMapFormat.Png8);
        }

        var stderr = new StringWriter();
        var refused = await AnomalyNcdCli.RunAsync(["discover", "--manifest", data.ManifestPath, "--maps", maps, "--out", temp.Combine("refused"), "--classes", "2", "--epochs", "1"], new StringWriter(), stderr);

        Assert.Equal(2, refused);
        Assert.Contains("degenerate map set", stderr.ToString());
        Assert.Contains("--degenerate-fallback", stderr.ToString());

        stderr = new StringWriter();
        var accepted = await AnomalyNcdCli.RunAsync(["discover", "--manifest", data.ManifestPath, "--maps", maps, "--degenerate-fallback", "global-min", "--out", temp.Combine("accepted"), "--classes", "2", "--epochs", "1"], new StringWriter(), stderr);

        Assert.True(accepted == 0, stderr.ToString());
        Assert.True(File.Exists(temp.Combine("accepted", "images.csv")));
        // Maps given from outside keep the reference's MEBin.
        using var metrics = JsonDocument.Parse(File.ReadAllText(temp.Combine("accepted", "metrics.json")));
        Assert.Equal("stable-count", metrics.RootElement.GetProperty("regions").GetProperty("rule").GetString());
    }
}
