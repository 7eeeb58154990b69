using AnomalyNcd.Dashboard.Logic;
using AnomalyNcd.Dashboard.Tests.Support;

namespace AnomalyNcd.Dashboard.Tests.Logic;

public sealed class LineMetricsTests
{
    [Fact]
    public void From_APerfectClusteringUnderOtherNames_ScoresOne()
    {
        var images = new[]
        {
            Regions.Image("a", "scratch", Regions.Of("a", 0, "7", 0.9), Regions.Of("a", 1, "7", 0.8)),
            Regions.Image("b", "scratch", Regions.Of("b", 0, "7", 0.9)),
            Regions.Image("c", "dent", Regions.Of("c", 0, "3", 0.9)),
            Regions.Image("d", "dent", Regions.Of("d", 0, "3", 0.9)),
            Regions.Image("e", null, Regions.Of("e", 0, "3", 0.9)),
        };

        var metrics = LineMetrics.From(images, Classes.At);

        Assert.Equal(4, metrics.ImagesWithGroundTruth);
        Assert.Equal(["images", "regions"], metrics.Clustering.Select(c => c.Level));
        Assert.Equal([4, 5], metrics.Clustering.Select(c => c.Samples));
        Assert.All(metrics.Clustering, c =>
        {
            Assert.Equal(1.0, c.Nmi, 9);
            Assert.Equal(1.0, c.Ari, 9);
            Assert.Equal(1.0, c.F1, 9);
        });
    }

    [Fact]
    public void From_AMixedClustering_MatchesCoresMatchedAccuracy()
    {
        // Truth: x x y y; predicted: 1 1 1 2 → Hungarian maps 1→x, 2→y: 3 of 4 right.
        var images = new[]
        {
            Regions.Image("a", "x", Regions.Of("a", 0, "1", 0.9)),
            Regions.Image("b", "x", Regions.Of("b", 0, "1", 0.9)),
            Regions.Image("c", "y", Regions.Of("c", 0, "1", 0.9)),
            Regions.Image("d", "y", Regions.Of("d", 0, "2", 0.9)),
        };

        var images4 = LineMetrics.From(images, Classes.At).Clustering[0];

        Assert.Equal(0.75, images4.F1, 9);
        Assert.InRange(images4.Nmi, 0.01, 0.99);
    }

    [Fact]
    public void From_NoGroundTruth_HasNoClusteringScores()
    {
        var metrics = LineMetrics.From([Regions.Image("a", null, Regions.Of("a", 0, "1", 0.9))], Classes.At);

        Assert.Empty(metrics.Clustering);
        Assert.Equal(0, metrics.ImagesWithGroundTruth);
    }

    [Fact]
    public void From_CountsBinarisationAndThroughput()
    {
        var start = Classes.At;
        var images = new[]
        {
            Regions.Image("a", null, start, 100, Regions.Of("a", 0, null, 0), Regions.Of("a", 1, null, 0), Regions.Of("a", 2, null, 0)),
            Regions.Image("b", null, start.AddMinutes(10), 200, Regions.Of("b", 0, null, 0)),
            Regions.Image("c", null, start.AddMinutes(20), 300),
            Regions.Image("d", null, start.AddMinutes(30), 400),
        };

        var metrics = LineMetrics.From(images, start.AddMinutes(32));

        Assert.Equal(4, metrics.Binarisation.Images);
        Assert.Equal(2, metrics.Binarisation.AnomalousImages);
        Assert.Equal(0.5, metrics.Binarisation.AnomalousShare, 9);
        Assert.Equal(4, metrics.Binarisation.Regions);
        Assert.Equal(2.0, metrics.Binarisation.RegionsPerAnomalousImage, 9);
        Assert.Equal(3, metrics.Binarisation.MaxRegionsInAnImage);
        // 32 min after the first receipt: 2 completed in the last 15 min (at 20 and 30 min), all 4 in the last hour.
        Assert.Equal([8.0, 4.0], metrics.Throughput.Rates.Select(r => r.PerHour));
        Assert.Equal(200, metrics.Throughput.MedianMilliseconds);
        Assert.Equal(400, metrics.Throughput.P95Milliseconds);
    }
}
