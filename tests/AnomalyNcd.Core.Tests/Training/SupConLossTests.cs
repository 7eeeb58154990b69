using AnomalyNcd.Core.Training;
using static TorchSharp.torch;

namespace AnomalyNcd.Core.Tests.Training;

public class SupConLossTests
{
    // Rows 0,1 = view 0 of samples a,b; rows 2,3 = view 1 of a,b.
    private static readonly double[][] Projections =
    {
        new[] { 1.0, 0.2, 0.0 },
        new[] { 0.1, 1.0, 0.3 },
        new[] { 0.9, 0.0, 0.4 },
        new[] { 0.0, 0.8, -0.5 },
    };

    [Theory]
    [InlineData(3, 3)]
    [InlineData(1, 2)]
    public void SupCon_TwoLabelledSamples_MatchesHandComputedValue(long labelA, long labelB)
    {
        using var scope = NewDisposeScope();
        var loss = SupConLoss.Compute(TensorFactory.Matrix(Projections), TensorFactory.Labels(labelA, labelB)).item<double>();

        var expected = ReferenceMath.SupCon(Projections, new[] { (int)labelA, (int)labelB }, 0.07);
        Assert.Equal(expected, loss, 8);
    }

    [Fact]
    public void SupCon_SameLabel_DiffersFromDifferentLabels()
    {
        using var scope = NewDisposeScope();
        var same = SupConLoss.Compute(TensorFactory.Matrix(Projections), TensorFactory.Labels(0, 0)).item<double>();
        var different = SupConLoss.Compute(TensorFactory.Matrix(Projections), TensorFactory.Labels(0, 1)).item<double>();

        // With different labels only the sample's own other view is a positive, so the positive sets differ.
        Assert.NotEqual(same, different, 6);
    }
}
