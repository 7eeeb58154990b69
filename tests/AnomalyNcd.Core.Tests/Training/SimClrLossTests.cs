using AnomalyNcd.Core.Training;
using static TorchSharp.torch;

namespace AnomalyNcd.Core.Tests.Training;

public class SimClrLossTests
{
    private static readonly double[][] Projections =
    {
        new[] { 1.0, 0.0 },
        new[] { 0.0, 2.0 },
        new[] { 0.8, 0.6 },
        new[] { -1.0, 1.0 },
    };

    [Fact]
    public void SimClr_TwoSamplesTwoViews_MatchesHandComputedNtXent()
    {
        using var scope = NewDisposeScope();
        var loss = SimClrLoss.Compute(TensorFactory.Matrix(Projections), temperature: 1.0).item<double>();

        Assert.Equal(ReferenceMath.SimClr(Projections, 1.0), loss, 10);
    }

    [Fact]
    public void SimClr_ViewsPairedAcrossHalves_NotAdjacentRows()
    {
        using var scope = NewDisposeScope();
        // Row 0 and row 2 identical (a perfect positive pair), rows 1 and 3 identical: lower loss than when rows 0/1 are the pairs.
        var pairedAcrossHalves = new[] { new[] { 1.0, 0.0 }, new[] { 0.0, 1.0 }, new[] { 1.0, 0.0 }, new[] { 0.0, 1.0 } };
        var pairedAdjacent = new[] { new[] { 1.0, 0.0 }, new[] { 1.0, 0.0 }, new[] { 0.0, 1.0 }, new[] { 0.0, 1.0 } };

        var good = SimClrLoss.Compute(TensorFactory.Matrix(pairedAcrossHalves)).item<double>();
        var bad = SimClrLoss.Compute(TensorFactory.Matrix(pairedAdjacent)).item<double>();

        Assert.True(good < bad, $"{good} should be below {bad}");
        // Hand value for the good case: positive similarity 1, the two others 0 → -1 + log(e + 2).
        Assert.Equal(-1 + Math.Log(Math.E + 2), good, 10);
    }
}
