using AnomalyNcd.Core.Training;
using static TorchSharp.torch;

namespace AnomalyNcd.Core.Tests.Training;

public class ClassificationLossTests
{
    [Fact]
    public void CrossEntropy_LogitsOverStudentTemperature_MatchesHandComputedMean()
    {
        using var scope = NewDisposeScope();
        var logits = new[] { new[] { 0.2, -0.1, 0.5 }, new[] { 0.9, 0.3, -0.4 } };

        var loss = ClassificationLoss.Compute(TensorFactory.Matrix(logits), TensorFactory.Labels(1, 0)).item<double>();

        // -log softmax(l/0.1)[y], averaged: row 0 class 1, row 1 class 0.
        var row0 = -(-1.0 - Math.Log(Math.Exp(2) + Math.Exp(-1) + Math.Exp(5)));
        var row1 = -(9.0 - Math.Log(Math.Exp(9) + Math.Exp(3) + Math.Exp(-4)));
        Assert.Equal((row0 + row1) / 2, loss, 10);
    }
}
