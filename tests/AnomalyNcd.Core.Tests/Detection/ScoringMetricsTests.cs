using AnomalyNcd.Core.Detection;
using AnomalyNcd.Core.Diagnostics;

namespace AnomalyNcd.Core.Tests.Detection;

/// <summary>Scoring an image records each of its stages in <see cref="ScoringMetrics.Stages"/>, where the detect bench reads them.</summary>
public sealed class ScoringMetricsTests(SyntheticDetectorFixture fixture) : IClassFixture<SyntheticDetectorFixture>
{
    [Fact]
    public void StageNames_AreDistinctKebabCaseTags()
    {
        Assert.Equal("nearest-neighbour", ScoringMetrics.StageName(ScoringStage.NearestNeighbour));
        Assert.Equal("decode", ScoringMetrics.StageName(ScoringStage.Decode));
        var names = Enum.GetValues<ScoringStage>().Select(ScoringMetrics.StageName).ToList();
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        Assert.All(names, name => Assert.Matches("^[a-z]+(-[a-z]+)*$", name));
    }

    [Fact]
    public void ScoreImage_RecordsEveryScoringStage()
    {
        using var reader = new StageReader(ScoringMetrics.Stages);
        var image = fixture.Manifest.Resolve(fixture.Manifest.Rows[^1].Image);

        fixture.Detector.ScoreImage(image, fixture.Extractor);

        // The map file is written by the caller (the bench), so Write is not a stage of ScoreImage.
        foreach (var stage in Enum.GetValues<ScoringStage>().Where(s => s != ScoringStage.Write))
        {
            var total = reader[ScoringMetrics.StageName(stage)];
            Assert.True(total.Calls >= 1, $"{stage} was not recorded");
            Assert.True(total.Total > TimeSpan.Zero, $"{stage} took no time");
        }
    }
}
