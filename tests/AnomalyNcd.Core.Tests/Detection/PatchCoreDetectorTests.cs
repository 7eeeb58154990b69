using AnomalyNcd.Core.Datasets;
using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Detection;
using AnomalyNcd.Core.Extraction;
using AnomalyNcd.Core.Imaging;

namespace AnomalyNcd.Core.Tests.Detection;

public class PatchCoreDetectorTests(SyntheticDetectorFixture fixture) : IClassFixture<SyntheticDetectorFixture>
{
    [Fact]
    public void Fit_KeepsTheCoresetShareOfAllTrainingPatches()
    {
        var metadata = fixture.Detector.Metadata;

        Assert.True(fixture.TrainingImages.Count >= 3);
        Assert.Equal(fixture.TrainingImages.Count, metadata.FittedImages);
        Assert.Equal(fixture.TrainingImages.Count * 784L, metadata.TrainingPatches);
        Assert.Equal((int)Math.Ceiling(metadata.TrainingPatches * 0.25), metadata.BankSize);
        Assert.Equal(384, metadata.Dimension);
        Assert.Equal("line-a", metadata.Line);
        Assert.True(metadata.CoveringRadius > 0);
    }

    [Fact]
    public void Score_DefectiveTestImagesScoreHigherThanNormalOnAverage()
    {
        var rows = DetectorManifest.ScoringRows(fixture.Manifest, "test", null);
        var maps = fixture.Detector.Score(rows.Select(r => fixture.Manifest.Resolve(r.Image)).ToList(), fixture.Extractor);
        var normal = rows.Select((r, i) => (r, i)).Where(x => ManifestRegionExtractor.IsNormalLabel(x.r.Label!)).Select(x => maps[x.i].Score).ToList();
        var defective = rows.Select((r, i) => (r, i)).Where(x => !ManifestRegionExtractor.IsNormalLabel(x.r.Label!)).Select(x => maps[x.i].Score).ToList();

        Assert.NotEmpty(normal);
        Assert.NotEmpty(defective);
        Assert.True(defective.Average() > normal.Average(), $"defective mean {defective.Average()} ≤ normal mean {normal.Average()}");
    }

    [Fact]
    public void Score_MapHasTheImageSizeAndItsMaximumIsTheScore()
    {
        var row = fixture.Manifest.Rows.First(r => r.Split == "test");
        var map = fixture.Detector.Score([fixture.Manifest.Resolve(row.Image)], fixture.Extractor)[0];

        Assert.Equal(128, map.Width);
        Assert.Equal(128, map.Height);
        Assert.Equal(128 * 128, map.Values.Length);
        Assert.Equal(map.Values.Max(), map.Score);
        Assert.All(map.Values, v => Assert.True(float.IsFinite(v) && v >= 0));
    }

    [Fact]
    public void SaveLoad_RoundTrip_GivesIdenticalScores()
    {
        var folder = fixture.Folder("roundtrip");
        fixture.Detector.Save(folder);
        using var loaded = PatchCoreDetector.Load(folder, "line-a");
        var images = fixture.Manifest.Rows.Where(r => r.Split == "test").Take(3).Select(r => fixture.Manifest.Resolve(r.Image)).ToList();

        var before = fixture.Detector.Score(images, fixture.Extractor);
        var after = loaded.Score(images, fixture.Extractor);

        Assert.Equal(fixture.Detector.Metadata with { Stages = [] }, loaded.Metadata with { Stages = [] });
        Assert.Equal(fixture.Detector.Metadata.Stages, loaded.Metadata.Stages);
        for (var i = 0; i < images.Count; i++)
        {
            Assert.Equal(before[i].Values, after[i].Values);
        }
    }

    [Fact]
    public void Load_DetectorOfAnotherLine_RefusedNamingTheFile()
    {
        var folder = fixture.Folder("other-line");
        fixture.Detector.Save(folder);

        var error = Assert.Throws<InvalidInputException>(() => PatchCoreDetector.Load(folder, "line-b"));

        Assert.Equal(Path.Combine(folder, PatchCoreDetector.MetadataFileName), error.InputPath);
        Assert.Contains("line-a", error.Problem);
    }

    [Fact]
    public void Load_OtherFormatVersion_Refused()
    {
        var folder = fixture.Folder("old-version");
        fixture.Detector.Save(folder);
        var json = Path.Combine(folder, PatchCoreDetector.MetadataFileName);
        File.WriteAllText(json, File.ReadAllText(json).Replace("\"formatVersion\": 1", "\"formatVersion\": 99"));

        var error = Assert.Throws<InvalidInputException>(() => PatchCoreDetector.Load(folder));

        Assert.Contains("format version 99", error.Problem);
    }

    [Fact]
    public void Load_TruncatedBank_Refused()
    {
        var folder = fixture.Folder("truncated");
        fixture.Detector.Save(folder);
        var bank = Path.Combine(folder, fixture.Detector.Metadata.BankFile);
        File.WriteAllBytes(bank, File.ReadAllBytes(bank)[..100]);

        var error = Assert.Throws<InvalidInputException>(() => PatchCoreDetector.Load(folder));

        Assert.Equal(bank, error.InputPath);
    }

    [Fact]
    public void Fit_NoNormalImages_Refused()
    {
        var error = Assert.Throws<InvalidInputException>(() => PatchCoreDetector.Fit([], "line-z", fixture.Extractor));

        Assert.Contains("no normal training images", error.Problem);
    }

    [Fact]
    public void Score_UnreadableImage_RefusedNamingIt()
    {
        var broken = fixture.Folder("broken.png");
        File.WriteAllBytes(broken, [1, 2, 3]);

        var error = Assert.Throws<InvalidInputException>(() => fixture.Detector.Score([broken], fixture.Extractor));

        Assert.Equal(broken, error.InputPath);
    }

    [Fact]
    public void AverageNeighbourhood_CornerAveragesItsFourCells()
    {
        // 2×2 grid of 1-d tokens: every cell's neighbourhood is the whole grid.
        var averaged = PatchFeatureExtractor.AverageNeighbourhood([1f, 2f, 3f, 6f], 2, 2, 1);

        Assert.All(averaged, v => Assert.Equal(3f, v));
    }

    [Fact]
    public void MapRelativePaths_UniqueStems_FlatStemNames()
    {
        var rows = new[] { new ManifestRow("../mtd/A/a.jpg"), new ManifestRow("./line-a/images/b.png") };

        Assert.Equal(["a.tiff", "b.tiff"], DetectorManifest.MapRelativePaths(rows, "m.csv"));
    }

    [Fact]
    public void MapRelativePaths_RepeatedStems_TreeMirroringTheImages()
    {
        var rows = new[] { new ManifestRow("test/crack/000.png"), new ManifestRow("test/good/000.png") };

        Assert.Equal([Path.Combine("test", "crack", "000.tiff"), Path.Combine("test", "good", "000.tiff")], DetectorManifest.MapRelativePaths(rows, "m.csv"));
    }

    [Fact]
    public void MapRelativePaths_RepeatedStemsOutsideTheManifestFolder_Refused()
    {
        var rows = new[] { new ManifestRow("../a/000.png"), new ManifestRow("../b/000.png") };

        var error = Assert.Throws<AnomalyNcd.Core.Common.InvalidInputException>(() => DetectorManifest.MapRelativePaths(rows, "m.csv"));
        Assert.Equal("m.csv", error.InputPath);
    }

    [Fact]
    public void GreedyCoreset_PicksFarthestPointsFirst()
    {
        // Points on a line at 0, 1, 2, 10: starting anywhere, 10 and 0 are picked before the middle ones (no projection).
        var (indices, radius) = GreedyCoreset.Select([0f, 1f, 2f, 10f], 1, 3, projectionDimension: 1, seed: 0);

        Assert.Equal(3, indices.Distinct().Count());
        Assert.Contains(3, indices);
        Assert.Contains(0, indices);
        Assert.Equal(1.0, radius, 6);
    }

    [Fact]
    public void NearestNeighbourSearch_MatchesBruteForce()
    {
        var random = new Random(1);
        var bank = Enumerable.Range(0, 50 * 4).Select(_ => (float)random.NextDouble()).ToArray();
        var queries = Enumerable.Range(0, 7 * 4).Select(_ => (float)random.NextDouble()).ToArray();
        using var search = NearestNeighbourSearch.Create(bank, 4);

        var distances = search.Distances(queries);

        for (var q = 0; q < 7; q++)
        {
            var best = Enumerable.Range(0, 50).Min(b => Math.Sqrt(Enumerable.Range(0, 4).Sum(d => Math.Pow(queries[q * 4 + d] - bank[b * 4 + d], 2))));
            Assert.Equal(best, distances[q], 1e-4);
        }
    }
}
