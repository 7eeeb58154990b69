using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Contracts.Regions;
using AnomalyNcd.Dashboard.Logic;
using AnomalyNcd.Dashboard.Tests.Support;

namespace AnomalyNcd.Dashboard.Tests.Logic;

public sealed class ReviewQueueTests
{
    private static readonly DefectClass[] Catalogue =
    [
        Classes.Of("scratch", ClassStatus.Confirmed, 10, "Scratch"),
        Classes.Of("p7", ClassStatus.Proposed, 3),
    ];

    [Fact]
    public void ReviewQueue_RanksByUncertainty()
    {
        var regions = new[]
        {
            Regions.Of("a", 0, "scratch", 0.85),
            Regions.Of("a", 1, "p7", 0.40),
            Regions.Of("b", 0, null, 0),
            Regions.Of("b", 1, "scratch", 0.55),
            Regions.Of("c", 0, "p7", 0.95),
        };

        var ranked = ReviewQueue.Rank(regions, Catalogue);

        Assert.Equal(["b#0", "a#1", "b#1", "a#0", "c#0"], ranked.Select(Name));
        Assert.Equal(ReviewReason.Unassigned, ranked[0].Reason);
        Assert.Equal(ReviewReason.Novel, ranked[1].Reason);
        Assert.Equal(0.60, ranked[1].Uncertainty, 9);
        Assert.Equal(ReviewReason.Uncertain, ranked[2].Reason);
        Assert.Equal(ReviewReason.Novel, ranked[4].Reason);
    }

    [Fact]
    public void ReviewQueue_LeavesOutDecidedAndConfidentConfirmedRegions()
    {
        var decided = Regions.Of("a", 0, "p7", 0.3) with { Decision = new OperatorDecision("confirm", "p7", "otto", Classes.At) };
        var regions = new[] { decided, Regions.Of("a", 1, "scratch", 0.97), Regions.Of("a", 2, "scratch", 0.5) };

        var ranked = ReviewQueue.Rank(regions, Catalogue);

        Assert.Equal(["a#2"], ranked.Select(Name));
    }

    [Fact]
    public void ReviewQueue_TiesKeepTheInputOrder()
    {
        var regions = new[]
        {
            Regions.Of("n", 0, null, 0),
            Regions.Of("m", 3, "p7", 0.5),
            Regions.Of("m", 1, null, 0),
            Regions.Of("m", 0, "p7", 0.5),
            Regions.Of("k", 0, "p7", 0.5),
        };

        var ranked = ReviewQueue.Rank(regions, Catalogue);

        Assert.Equal(["n#0", "m#1", "m#3", "m#0", "k#0"], ranked.Select(Name));
    }

    [Fact]
    public void ReviewQueue_PagesSplitTheRankedQueueWithoutLosingAnEntry()
    {
        var regions = Enumerable.Range(0, 25).Select(i => Regions.Of($"i{i:D2}", 0, "p7", i / 100.0)).ToList();
        var ranked = ReviewQueue.Rank(regions, Catalogue);

        var pages = Enumerable.Range(1, Paging.PageCount(ranked.Count, 10)).Select(p => Paging.Page(ranked, p, 10)).ToList();

        Assert.Equal([10, 10, 5], pages.Select(p => p.Count));
        Assert.Equal("i00#0", Name(pages[0][0]));
        Assert.Equal("i24#0", Name(pages[2][^1]));
        Assert.Equal(ranked.Select(Name), pages.SelectMany(p => p).Select(Name));
    }

    [Fact]
    public void NormalisedEntropy_IsZeroForACertainAndOneForAUniformDistribution()
    {
        Assert.Equal(0.0, ReviewQueue.NormalisedEntropy([1.0, 0.0, 0.0]), 9);
        Assert.Equal(1.0, ReviewQueue.NormalisedEntropy([0.25, 0.25, 0.25, 0.25]), 9);
        Assert.InRange(ReviewQueue.NormalisedEntropy([0.7, 0.2, 0.1]), 0.5, 0.8);
    }

    private static string Name(ReviewItem item) => $"{item.Region.Key.ImageId}#{item.Region.Key.Index}";
}
