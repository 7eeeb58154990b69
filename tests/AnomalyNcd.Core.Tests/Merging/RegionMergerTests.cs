using AnomalyNcd.Core.Merging;

namespace AnomalyNcd.Core.Tests.Merging;

public class RegionMergerTests
{
    [Fact]
    public void AreaWeights_Areas10000And100AtT100_Give0Point7109And0Point2891()
    {
        // method-spec §16 vector 8: softmax([1.0, 0.1]).
        var weights = RegionMerger.AreaWeights([10_000, 100], RegionMergeTemperature.MvtecAd);

        Assert.Equal(0.7109, weights[0], 4);
        Assert.Equal(0.2891, weights[1], 4);
        Assert.Equal(1.0, weights.Sum(), 12);
    }

    [Fact]
    public void AreaWeights_LowerTemperature_FavoursLargeRegionMore()
    {
        var mvtec = RegionMerger.AreaWeights([10_000, 100], RegionMergeTemperature.MvtecAd);
        var other = RegionMerger.AreaWeights([10_000, 100], RegionMergeTemperature.Default);

        Assert.Equal(Math.Exp(1.8) / (Math.Exp(1.8) + 1), other[0], 12);
        Assert.True(other[0] > mvtec[0]);
    }

    [Fact]
    public void Merge_SingleCrop_ReturnsItsProbabilitiesUnchanged()
    {
        double[] probabilities = [0, 0.2, 0.5, 0.3];

        var prediction = RegionMerger.Merge([probabilities], [5], RegionMergeTemperature.MvtecAd);

        Assert.Equal(probabilities, prediction.Probabilities);
        Assert.Equal(2, prediction.ClassIndex);
        Assert.Equal(0.5, prediction.Confidence);
    }

    [Fact]
    public void Merge_TwoCrops_LargerRegionDecidesTheClass()
    {
        double[] large = [0, 0.6, 0.4];
        double[] small = [0, 0.0, 1.0];

        var prediction = RegionMerger.Merge([large, small], [10_000, 100], RegionMergeTemperature.MvtecAd);

        var a = Math.Exp(0.9) / (Math.Exp(0.9) + 1);
        Assert.Equal(0.6 * a, prediction.Probabilities[1], 12);
        Assert.Equal((0.4 * a) + (1 - a), prediction.Probabilities[2], 12);
        Assert.Equal(2, prediction.ClassIndex); // 0.284 + 0.289 beats 0.427
        Assert.Equal(prediction.Probabilities[2], prediction.Confidence);
    }

    [Fact]
    public void Merge_MismatchedCounts_AreRefused()
    {
        Assert.Throws<ArgumentException>(() => RegionMerger.Merge([[0.5, 0.5]], [1, 2], RegionMergeTemperature.Default));
    }

    [Fact]
    public void FromProbabilities_Tie_PicksFirstMaximumLikeArgmax()
    {
        var prediction = ImagePrediction.FromProbabilities([0.1, 0.45, 0.45]);

        Assert.Equal(1, prediction.ClassIndex);
    }
}
