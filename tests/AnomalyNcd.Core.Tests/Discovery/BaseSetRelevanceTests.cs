using AnomalyNcd.Core.Discovery;

namespace AnomalyNcd.Core.Tests.Discovery;

public class BaseSetRelevanceTests
{
    [Fact]
    public void Measure_BaseDrawnFromTheSameClustersAsTheNovelCrops_IsRelevant()
    {
        var random = new Random(5);
        var centres = Enumerable.Range(0, 4).Select(_ => Unit(Gaussian(random, 16, 1.0))).ToArray();
        var novel = Points(random, centres, perCentre: 40, spread: 0.15);
        var labelled = Points(random, centres[..2], perCentre: 40, spread: 0.15);

        var measurement = BaseSetRelevance.Measure(labelled, novel);

        // Half the novel crops sit in the two clusters the base set shares; there about half of their neighbours are base crops.
        Assert.True(measurement.Relevance is > 0.4 and < 1.5, $"relevance {measurement.Relevance:0.000}");
        Assert.True(measurement.Relevant);
    }

    [Fact]
    public void Measure_BaseInAnotherRegionOfTheSpace_IsNotRelevant()
    {
        var random = new Random(6);
        var novelCentres = Enumerable.Range(0, 4).Select(_ => Unit(Shifted(Gaussian(random, 16, 1.0), 0, 6.0))).ToArray();
        var baseCentres = Enumerable.Range(0, 3).Select(_ => Unit(Shifted(Gaussian(random, 16, 1.0), 1, 6.0))).ToArray();
        var novel = Points(random, novelCentres, perCentre: 40, spread: 0.1);
        var labelled = Points(random, baseCentres, perCentre: 60, spread: 0.1);

        var measurement = BaseSetRelevance.Measure(labelled, novel);

        Assert.Equal(0, measurement.NearestBaseShare);
        Assert.Equal(0, measurement.Relevance);
        Assert.False(measurement.Relevant);
    }

    [Fact]
    public void Measure_SharesAreCountedAgainstTheMixingExpectation()
    {
        // Novel crops at 0°, 10° and 90°; one base crop at 85°: only the 90° crop's nearest neighbour is the base crop.
        double[][] novel = [Angle(0), Angle(10), Angle(90)];
        double[][] labelled = [Angle(85)];

        var measurement = BaseSetRelevance.Measure(labelled, novel);

        Assert.Equal(1.0 / 3, measurement.NearestBaseShare, 12);
        Assert.Equal(1.0 / 3, measurement.ExpectedShare, 12); // L / (L + U − 1) = 1 / 3
        Assert.Equal(1.0, measurement.Relevance, 12);
    }

    [Fact]
    public void Measure_WithoutBaseCrops_IsZeroAndNotRelevant()
    {
        var measurement = BaseSetRelevance.Measure([], [Angle(0), Angle(30)]);

        Assert.Equal(0, measurement.Relevance);
        Assert.False(measurement.Relevant);
    }

    [Fact]
    public void Measure_DescriptorsOfOtherDimensions_AreRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => BaseSetRelevance.Measure([[1.0, 0.0, 0.0]], [Angle(0), Angle(30)]));
        Assert.Contains("2 and 3 dimensions", error.Message);
    }

    private static double[] Angle(double degrees) => [Math.Cos(degrees * Math.PI / 180), Math.Sin(degrees * Math.PI / 180)];

    private static double[][] Points(Random random, double[][] centres, int perCentre, double spread) =>
        [.. centres.SelectMany(c => Enumerable.Range(0, perCentre).Select(_ => Unit([.. c.Zip(Gaussian(random, c.Length, spread), (a, b) => a + b)])))];

    private static double[] Shifted(double[] point, int axis, double by)
    {
        point[axis] += by;
        return point;
    }

    private static double[] Gaussian(Random random, int dimensions, double sigma) =>
        [.. Enumerable.Range(0, dimensions).Select(_ => sigma * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()))];

    private static double[] Unit(double[] v)
    {
        var norm = Math.Sqrt(v.Sum(x => x * x));
        return [.. v.Select(x => x / norm)];
    }
}
