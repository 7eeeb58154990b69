using AnomalyNcd.Core.Training.Data;

namespace AnomalyNcd.Core.Tests.Training.Data;

public class ViewCacheTests
{
    [Fact]
    public void Build_GivesVDistinctViewsPerSample_ReproducibleBySeed()
    {
        using var dataset = CropDataset.Create(
            [],
            [
                new CropInput(SyntheticCrops.NoiseRgb(260, 270, 1), SyntheticCrops.RectangleMask(260, 270, 10, 10, 100, 90), null, 0, "a", 0, "a"),
                new CropInput(SyntheticCrops.NoiseRgb(300, 256, 2), SyntheticCrops.RectangleMask(300, 256, 50, 50, 80, 80), null, 0, "b", 0, "b"),
            ]);

        var first = ViewCache.Build(dataset, 3, seed: 17);
        var second = ViewCache.Build(dataset, 3, seed: 17);
        var other = ViewCache.Build(dataset, 3, seed: 18);

        Assert.Equal(2, first.SampleCount);
        for (var i = 0; i < 2; i++)
        {
            var views = first.ViewsOf(i);
            Assert.Equal(3, views.Count);
            Assert.NotEqual(views[0].Rgb, views[1].Rgb);
            for (var v = 0; v < 3; v++)
            {
                Assert.Equal(views[v].Rgb, second.ViewsOf(i)[v].Rgb);
                Assert.Equal(views[v].Mask, second.ViewsOf(i)[v].Mask);
            }
        }

        Assert.NotEqual(first.ViewsOf(0)[0].Rgb, other.ViewsOf(0)[0].Rgb);
    }

    [Fact]
    public void SampleSeed_DiffersBetweenSamplesAndSeeds()
    {
        var seeds = Enumerable.Range(0, 1000).Select(i => ViewCache.SampleSeed(3407, i)).ToHashSet();

        Assert.Equal(1000, seeds.Count);
        Assert.NotEqual(ViewCache.SampleSeed(1, 0), ViewCache.SampleSeed(2, 0));
        Assert.Equal(ViewCache.SampleSeed(1, 5), ViewCache.SampleSeed(1, 5));
    }
}
