using AnomalyNcd.Core.Detection;
using AnomalyNcd.Core.Features;

namespace AnomalyNcd.Core.Tests.Detection;

/// <summary>The search mode is a scoring option, not part of a saved detector: any detector loads and scores with any mode.</summary>
public class SearchModeRoundTripTests(SyntheticDetectorFixture fixture) : IClassFixture<SyntheticDetectorFixture>
{
    [Theory]
    [InlineData(NearestNeighbourMode.Exact)]
    [InlineData(NearestNeighbourMode.Shortlist)]
    [InlineData(NearestNeighbourMode.BlockedShortlist)]
    public void DetectorFittedWithAMode_SavedAndLoadedWithIt_ScoresBitForBitTheSame(NearestNeighbourMode mode)
    {
        using var fitted = PatchCoreDetector.Fit(fixture.TrainingImages, "line-a", fixture.Extractor, new PatchCoreOptions(CoresetFraction: 0.25, Precision: BackbonePrecision.Fp32, Search: mode));
        var folder = fixture.Folder($"mode-{mode}");
        fitted.Save(folder);
        using var loaded = PatchCoreDetector.Load(folder, "line-a", mode);
        var images = fixture.Manifest.Rows.Where(r => r.Split == "test").Take(4).Select(r => fixture.Manifest.Resolve(r.Image)).ToList();

        var before = fitted.Score(images, fixture.Extractor);
        var after = loaded.Score(images, fixture.Extractor);

        Assert.Equal(fitted.SearchMode, loaded.SearchMode);
        Assert.DoesNotContain("search", File.ReadAllText(Path.Combine(folder, PatchCoreDetector.MetadataFileName)), StringComparison.OrdinalIgnoreCase);
        // Calibration uses the exact leave-one-out search whatever the scoring mode.
        Assert.Equal(fixture.Detector.Calibration?.ImageScores, fitted.Calibration?.ImageScores);
        for (var i = 0; i < images.Count; i++)
        {
            Assert.Equal(before[i].Score, after[i].Score);
            Assert.Equal(before[i].Values, after[i].Values);
        }
    }

    [Fact]
    public void SavedDetector_LoadedWithEachMode_ScoresLikeTheExactSearchOnTheseImages()
    {
        // On the synthetic line the shortlist holds each patch's nearest bank vector, so every mode gives the exact scores.
        var folder = fixture.Folder("each-mode");
        fixture.Detector.Save(folder);
        var images = fixture.Manifest.Rows.Where(r => r.Split == "test").Take(4).Select(r => fixture.Manifest.Resolve(r.Image)).ToList();
        using var exact = PatchCoreDetector.Load(folder, null, NearestNeighbourMode.Exact);
        var expected = exact.Score(images, fixture.Extractor);

        foreach (var mode in new[] { NearestNeighbourMode.Shortlist, NearestNeighbourMode.BlockedShortlist })
        {
            using var loaded = PatchCoreDetector.Load(folder, null, mode);
            var maps = loaded.Score(images, fixture.Extractor);
            for (var i = 0; i < images.Count; i++)
            {
                Assert.Equal(expected[i].Score, maps[i].Score, 1e-3f * expected[i].Score);
            }
        }
    }
}
