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

    [Fact]
    public void MeanEntropy_NovelClassesOnly_IgnoresTheBaseColumns()
    {
        using var scope = NewDisposeScope();
        // Column 0 is a base class every row prefers; the novel columns 1..2 mirror each other (uniform on average).
        var logits = new[] { new[] { 0.9, 0.8, -0.3 }, new[] { 0.9, -0.3, 0.8 } };

        var allClasses = MeanEntropyRegulariser.Compute(TensorFactory.Matrix(logits)).item<double>();
        var novelOnly = MeanEntropyRegulariser.Compute(TensorFactory.Matrix(logits), firstClass: 1).item<double>();

        Assert.Equal(ReferenceMath.MeanEntropy(logits, 0.1), allClasses, 10);
        Assert.True(allClasses > 0.1, $"over all classes the base column skews the mean ({allClasses})");
        Assert.Equal(0.0, novelOnly, 12);
    }

    [Fact]
    public void MeanEntropy_FirstClassLeavingNoColumn_IsRefused()
    {
        using var scope = NewDisposeScope();
        var logits = TensorFactory.Matrix([[0.1, 0.2]]);

        Assert.Throws<ArgumentOutOfRangeException>(() => MeanEntropyRegulariser.Compute(logits, firstClass: 2));
    }
}
