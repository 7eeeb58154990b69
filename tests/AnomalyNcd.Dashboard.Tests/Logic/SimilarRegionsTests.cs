using AnomalyNcd.Contracts.Regions;
using AnomalyNcd.Dashboard.Logic;
using AnomalyNcd.Dashboard.Tests.Support;

namespace AnomalyNcd.Dashboard.Tests.Logic;

public sealed class SimilarRegionsTests
{
    private static readonly RegionKey Query = new("press-7", "q", 0);

    [Fact]
    public void Nearest_FindsTheExactNearestOnHandMadeVectors()
    {
        var candidates = new (RegionResult, IReadOnlyList<float>?)[]
        {
            (Regions.Of("orthogonal", 0, "c", 1), [0f, 1f, 0f]),
            (Regions.Of("same-direction", 0, "c", 1), [2f, 0f, 0f]),
            (Regions.Of("opposite", 0, "c", 1), [-1f, 0f, 0f]),
            (Regions.Of("forty-five", 0, "c", 1), [1f, 1f, 0f]),
        };

        var nearest = SimilarRegions.Nearest(Query, [1f, 0f, 0f], candidates, top: 3);

        Assert.Equal(["same-direction", "forty-five", "orthogonal"], nearest.Select(n => n.Region.Key.ImageId));
        Assert.Equal(1.0, nearest[0].Similarity, 6);
        Assert.Equal(Math.Sqrt(0.5), nearest[1].Similarity, 6);
        Assert.Equal(0.0, nearest[2].Similarity, 6);
    }

    [Fact]
    public void Nearest_SkipsRegionsWithoutAnEmbeddingOrOfAnotherLength()
    {
        var candidates = new (RegionResult, IReadOnlyList<float>?)[]
        {
            (Regions.Of("none", 0, "c", 1), null),
            (Regions.Of("short", 0, "c", 1), [1f]),
            (Regions.Of("zero", 0, "c", 1), [0f, 0f]),
            (Regions.Of("kept", 0, "c", 1), [0.5f, 0.5f]),
        };

        var nearest = SimilarRegions.Nearest(Query, [1f, 0f], candidates);

        Assert.Equal(["kept"], nearest.Select(n => n.Region.Key.ImageId));
    }

    [Fact]
    public void Nearest_ExcludesTheQueryRegionItselfAndOtherLines()
    {
        var candidates = new (RegionResult, IReadOnlyList<float>?)[]
        {
            (Regions.Of("q", 0, "c", 1), [1f, 0f]),
            (Regions.Of("q", 0, "c", 1, line: "other-line"), [1f, 0f]),
            (Regions.Of("q", 1, "c", 1), [0.9f, 0.1f]),
        };

        var nearest = SimilarRegions.Nearest(Query, [1f, 0f], candidates);

        var only = Assert.Single(nearest);
        Assert.Equal(new RegionKey("press-7", "q", 1), only.Region.Key);
    }
}
