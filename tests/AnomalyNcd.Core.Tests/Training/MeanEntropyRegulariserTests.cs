using AnomalyNcd.Core.Training;
using static TorchSharp.torch;

namespace AnomalyNcd.Core.Tests.Training;

public class MeanEntropyRegulariserTests
{
    [Fact]
    public void MeanEntropy_UniformMeanPrediction_IsZero()
    {
        using var scope = NewDisposeScope();
        // Two rows whose predictions mirror each other average to the uniform distribution.
        var logits = new[] { new[] { 0.8, -0.3 }, new[] { -0.3, 0.8 } };

        var loss = MeanEntropyRegulariser.Compute(TensorFactory.Matrix(logits)).item<double>();

        Assert.Equal(0.0, loss, 12);
    }

    [Fact]
    public void MeanEntropy_SkewedMeanPrediction_IsLogKMinusEntropy()
    {
        using var scope = NewDisposeScope();
        var logits = new[] { new[] { 0.5, 0.1, -0.2 }, new[] { 0.4, 0.3, 0.0 }, new[] { 0.9, -0.5, 0.2 } };

        var loss = MeanEntropyRegulariser.Compute(TensorFactory.Matrix(logits)).item<double>();

        var expected = ReferenceMath.MeanEntropy(logits, 0.1);
        Assert.True(expected > 0.01, "the test input must be far from uniform");
        Assert.Equal(expected, loss, 10);
    }
}
