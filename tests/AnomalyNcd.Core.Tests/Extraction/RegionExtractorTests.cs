using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Extraction;
using AnomalyNcd.Core.Imaging;
using OpenCvSharp;

namespace AnomalyNcd.Core.Tests.Extraction;

public class RegionExtractorTests
{
    [Fact]
    public void Extract_ThreeMaps_OneRangeForTheSetAndABoxAroundEachBlob()
    {
        using var temp = TestData.NewTempFolder();
        var entries = new[] { 200, 150, 100 }.Select((peak, i) => WriteMap(temp, $"m{i}", 64, 64, peak)).ToList();

        var set = RegionExtractor.Extract(entries, "set");

        Assert.Equal((100, 200), ((int)set.Range.MinTh, (int)set.Range.MaxTh));
        Assert.Equal(entries.Select(e => e.Name), set.Maps.Select(m => m.Entry.Name));
        var first = set.Maps[0];
        Assert.Equal(1, first.Mebin.EstimatedRegionCount);
        var box = Assert.Single(first.Plan.Boxes);
        // The blob covers 20..31 in both axes; its box must contain the blob's centre.
        Assert.InRange(25.5, box.Left, box.Right);
        Assert.InRange(25.5, box.Up, box.Bottom);
    }

    [Fact]
    public void Extract_MapSizeDiffersFromImage_RefusedNamingTheMapUnlessResizingIsAllowed()
    {
        using var temp = TestData.NewTempFolder();
        var entries = new[] { 200, 150 }.Select((peak, i) => WriteMap(temp, $"m{i}", 64, 64, peak)).ToList();
        var imagePath = temp.Combine("m0-image.png");
        using (var image = new Mat(128, 96, MatType.CV_8UC3, Scalar.All(90)))
        {
            ImageFiles.WritePng(imagePath, image);
        }

        entries[0] = entries[0] with { ImagePath = imagePath };

        var error = Assert.Throws<InvalidInputException>(() => RegionExtractor.Extract(entries, "set"));
        Assert.Equal(entries[0].MapPath, error.InputPath);
        Assert.Contains("map is 64x64 but its image", error.Problem);

        var resized = RegionExtractor.Extract(entries, "set", RegionExtractionOptions.Default with { ResizeMapsToImage = true });
        var box = Assert.Single(resized.Maps[0].Plan.Boxes);
        // Planned at image size (96 wide, 128 high): the blob's centre scales by 1.5 and 2.
        Assert.InRange(25.5 * 1.5, box.Left, box.Right);
        Assert.InRange(25.5 * 2, box.Up, box.Bottom);
    }

    [Fact]
    public void Extract_NoEntries_RefusedNamingTheSet()
    {
        var error = Assert.Throws<InvalidInputException>(() => RegionExtractor.Extract([], "empty-set"));

        Assert.Equal("empty-set", error.InputPath);
    }

    [Fact]
    public void Extract_SecondMapUnreadable_ReportsThatMap()
    {
        using var temp = TestData.NewTempFolder();
        var entries = new[] { 200, 150, 100 }.Select((peak, i) => WriteMap(temp, $"m{i}", 64, 64, peak)).ToList();
        File.WriteAllText(entries[1].MapPath, "not an image");

        var error = Assert.Throws<InvalidInputException>(() => RegionExtractor.Extract(entries, "set"));

        Assert.Equal(entries[1].MapPath, error.InputPath);
    }

    [Fact]
    public void BinarizationReport_SaveThenLoad_RoundTrips()
    {
        using var temp = TestData.NewTempFolder();
        var entries = new[] { 200, 120 }.Select((peak, i) => WriteMap(temp, $"m{i}", 48, 40, peak)).ToList();
        var report = BinarizationReport.From(RegionExtractor.Extract(entries, "set"));
        var path = temp.Combine("binarization.json");

        report.Save(path);
        var loaded = BinarizationReport.Load(path);

        Assert.Equal((report.MinTh, report.MaxTh), (loaded.MinTh, loaded.MaxTh));
        Assert.Equal(report.Maps.Select(m => (m.Name, m.Width, m.Height, m.Threshold, m.RegionCount)), loaded.Maps.Select(m => (m.Name, m.Width, m.Height, m.Threshold, m.RegionCount)));
        Assert.Equal(64, loaded.Maps[0].Counts.Count);
        Assert.Equal(report.Maps[0].Boxes.SelectMany(b => b), loaded.Maps[0].Boxes.SelectMany(b => b));
        Assert.Equal((48, 40), (loaded.Maps[0].Width, loaded.Maps[0].Height));
    }

    [Fact]
    public void BinarizationReport_LoadNonJson_RefusedNamingTheFile()
    {
        using var temp = TestData.NewTempFolder();
        var path = temp.Combine("binarization.json");
        File.WriteAllText(path, "{ not json");

        var error = Assert.Throws<InvalidInputException>(() => BinarizationReport.Load(path));

        Assert.Equal(path, error.InputPath);
    }

    /// <summary>A map with background 10 and one 12x12 square of <paramref name="peak"/> at (20, 20).</summary>
    private static MapEntry WriteMap(TempFolder temp, string name, int width, int height, int peak)
    {
        var pixels = new byte[width * height];
        Array.Fill(pixels, (byte)10);
        for (var y = 20; y < 32; y++)
        {
            for (var x = 20; x < 32; x++)
            {
                pixels[y * width + x] = (byte)peak;
            }
        }

        var path = temp.Combine(name + ".png");
        ImageFiles.WritePng(path, new GrayImage(width, height, pixels));
        return new MapEntry(name, path);
    }
}
