using AnomalyNcd.Core.Metrics;
using OpenCvSharp;

namespace AnomalyNcd.Core.Tests.Metrics;

public class BinarizationErrorRatesTests
{
    [Fact]
    public void IntersectionOverUnion_PartialOverlap_UsesPixelAreas()
    {
        // 8x8 overlap of two 10x10 boxes: 64 / (100 + 100 - 64).
        Assert.Equal(64.0 / 136.0, BinarizationErrorRates.IntersectionOverUnion(new Rect(0, 0, 10, 10), new Rect(2, 2, 10, 10)), 12);
    }

    [Fact]
    public void IntersectionOverUnion_TouchingEdges_IsZero()
    {
        Assert.Equal(0.0, BinarizationErrorRates.IntersectionOverUnion(new Rect(0, 0, 10, 10), new Rect(10, 0, 10, 10)));
    }

    [Fact]
    public void CountImage_HandMadeBoxes_CountsMissesAndFalsePositives()
    {
        Rect[] groundTruth = [new(0, 0, 10, 10), new(100, 100, 10, 10)];
        Rect[] predicted =
        [
            new(2, 2, 10, 10), // IoU 0.47 with the first ground-truth box: detects it
            new(50, 50, 5, 5), // overlaps nothing
            new(109, 109, 10, 10), // 1 px overlap with the second box, IoU 1/199: too small
        ];

        var counts = BinarizationErrorRates.CountImage(groundTruth, predicted);

        Assert.Equal(new BoxErrorCounts(2, 1, 3, 2), counts);
        Assert.Equal(0.5, counts.FalseNegativeRate, 12);
        Assert.Equal(2.0 / 3.0, counts.FalsePositiveRate, 12);
    }

    [Fact]
    public void CountImage_IouExactlyAtThreshold_DoesNotMatch()
    {
        // 10 of 100 pixels: IoU exactly 0.1, and the rule is strictly greater.
        var counts = BinarizationErrorRates.CountImage([new Rect(0, 0, 10, 10)], [new Rect(0, 0, 10, 1)]);

        Assert.Equal(new BoxErrorCounts(1, 1, 1, 1), counts);
    }

    [Fact]
    public void CountImage_OnePredictedBoxCoveringTwoGroundTruthBoxes_DetectsBoth()
    {
        var counts = BinarizationErrorRates.CountImage([new Rect(0, 0, 10, 10), new Rect(12, 0, 10, 10)], [new Rect(0, 0, 22, 10)]);

        Assert.Equal(new BoxErrorCounts(2, 0, 1, 0), counts);
    }

    [Fact]
    public void Count_SeveralImages_SumsBeforeDividing()
    {
        var counts = BinarizationErrorRates.Count(
        [
            ([new Rect(0, 0, 10, 10)], [new Rect(0, 0, 10, 10)]), // hit
            ([], [new Rect(0, 0, 4, 4), new Rect(20, 20, 4, 4)]), // normal image: both false positives
            ([new Rect(0, 0, 10, 10)], []), // missed
        ]);

        Assert.Equal(new BoxErrorCounts(2, 1, 3, 2), counts);
        Assert.Equal(0.5, counts.FalseNegativeRate, 12);
        Assert.Equal(2.0 / 3.0, counts.FalsePositiveRate, 12);
    }

    [Fact]
    public void Rates_NoBoxesAtAll_AreZero()
    {
        var counts = BinarizationErrorRates.CountImage([], []);

        Assert.Equal(0.0, counts.FalseNegativeRate);
        Assert.Equal(0.0, counts.FalsePositiveRate);
    }
}
