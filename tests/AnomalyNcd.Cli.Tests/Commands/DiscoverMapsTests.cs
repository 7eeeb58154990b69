using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Datasets;
using AnomalyNcd.Core.Maps;
using AnomalyNcd.Core.Synthetic;

namespace AnomalyNcd.Cli.Tests.Commands;

public class DiscoverMapsTests
{
    [Fact]
    public async Task DiscoverMaps_RawFloatMapsInAFlatFolder_NormalisedPerLineAndDiscovered()
    {
        using var temp = TestData.NewTempFolder();
        var data = SyntheticDatasetWriter.Write(new SyntheticOptions(Lines: 1, ImagesPerLine: 16, Size: 64, Seed: 5), temp.Combine("data"));
        var manifest = Manifest.Load(data.ManifestPath);
        var maps = temp.Combine("raw-maps");
        var index = 0;
        foreach (var row in manifest.Rows.Where(r => r.AnomalyMap is not null))
        {
            // A detector's raw scale: an affine image of the shipped 8-bit map, half as float TIFF, half as .npy.
            var map = AnomalyMapFile.Read(manifest.Resolve(row.AnomalyMap!));
            var raw = new FloatMap(map.Width, map.Height, [.. map.Values.Select(v => (v * 0.0037f) + 1.5f)]);
            var stem = Path.GetFileNameWithoutExtension(row.Image);
            var npy = index++ % 2 == 0;
            AnomalyMapFile.Write(Path.Combine(maps, stem + (npy ? ".npy" : ".tiff")), raw, npy ? AnomalyMapFormat.Npy : AnomalyMapFormat.FloatTiff);
        }

        var output = temp.Combine("out");
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var code = await AnomalyNcdCli.RunAsync(["discover", "--manifest", data.ManifestPath, "--out", output, "--maps", maps, "--epochs", "1", "--classes", "2"], stdout, stderr);

        Assert.True(code == 0, stderr.ToString());
        var images = CsvTable.Read(Path.Combine(output, "images.csv"));
        Assert.True(images.Count > 1, "images.csv has no rows");
        var testRows = manifest.Rows.Count(r => r.Split == "test");
        var normalised = Directory.GetFiles(Path.Combine(output, "crops", "maps"), "*.png", SearchOption.AllDirectories);
        Assert.Equal(testRows, normalised.Length);
        Assert.Contains(normalised, f => Core.Imaging.ImageFiles.ReadGray(f).Max() == 255);
        Assert.Single(Directory.GetFiles(Path.Combine(output, "crops", "maps"), "*.calibration.json"));
    }

    [Fact]
    public async Task DiscoverMaps_NoMapMatches_OneErrorLineNamingTheFolder()
    {
        using var temp = TestData.NewTempFolder();
        var data = SyntheticDatasetWriter.Write(new SyntheticOptions(Lines: 1, ImagesPerLine: 8, Size: 64, Seed: 5), temp.Combine("data"));
        var maps = temp.Combine("raw-maps");
        AnomalyMapFile.Write(Path.Combine(maps, "unrelated.npy"), new FloatMap(4, 4), AnomalyMapFormat.Npy);
        var stderr = new StringWriter();

        var code = await AnomalyNcdCli.RunAsync(["discover", "--manifest", data.ManifestPath, "--out", temp.Combine("out"), "--maps", maps, "--classes", "2"], new StringWriter(), stderr);

        Assert.Equal(2, code);
        Assert.Contains(maps, stderr.ToString());
        Assert.Contains("no map matches", stderr.ToString());
        Assert.False(File.Exists(temp.Combine("out", "images.csv")));
    }
}
