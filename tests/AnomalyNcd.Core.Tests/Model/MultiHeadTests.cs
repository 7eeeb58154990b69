using AnomalyNcd.Core.Model;
using AnomalyNcd.Core.Tests.Training;
using static TorchSharp.torch;

namespace AnomalyNcd.Core.Tests.Model;

public class MultiHeadTests
{
    [Fact]
    public void CosineHead_LogitsAreCosinesBetweenFeatureAndDirections()
    {
        using var scope = NewDisposeScope();
        var head = new CosineClassifierHead(inputDim: 2, classCount: 2);
        using (no_grad())
        {
            head.Directions.copy_(tensor(new float[] { 3, 0, 1, 1 }, new long[] { 2, 2 }));
        }

        var logits = head.forward(tensor(new float[] { 0, 5, 2, 2 }, new long[] { 2, 2 }));

        Assert.Equal(ReferenceMath.Cosine(new[] { 0.0, 5 }, new[] { 3.0, 0 }), logits[0, 0].item<float>(), 5);
        Assert.Equal(ReferenceMath.Cosine(new[] { 0.0, 5 }, new[] { 1.0, 1 }), logits[0, 1].item<float>(), 5);
        Assert.Equal(1.0, logits[1, 1].item<float>(), 5);
    }

    [Fact]
    public void CosineHead_RandomInputs_LogitsInUnitRangeAndGradientReachesDirections()
    {
        using var scope = NewDisposeScope();
        manual_seed(7);
        var head = new CosineClassifierHead(inputDim: 32, classCount: 6);

        var logits = head.forward(randn(10, 32) * 50);
        logits.sum().backward();

        Assert.True(logits.abs().max().item<float>() <= 1.0f + 1e-6f);
        var grad = head.Directions.grad;
        Assert.NotNull(grad);
        Assert.True(grad!.abs().sum().item<float>() > 0);
        // Default Linear init: uniform within ±1/√D.
        Assert.True(head.Directions.abs().max().item<float>() <= 1 / Math.Sqrt(32));
    }

    [Fact]
    public void ProjectionHead_TruncNormalWeightsZeroBiasesAndBottleneckOutput()
    {
        using var scope = NewDisposeScope();
        manual_seed(3407);
        var projector = new ProjectionHead(inputDim: 64, hiddenDim: 128, bottleneckDim: 16);

        var parameters = projector.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var firstWeight = parameters["mlp.0.weight"];
        var std = firstWeight.std().item<float>();

        Assert.Equal(new long[] { 128, 64 }, firstWeight.shape);
        Assert.InRange(std, 0.019, 0.021);
        Assert.All(parameters.Where(p => p.Key.EndsWith(".bias")), p => Assert.Equal(0f, p.Value.abs().sum().item<float>()));
        Assert.Equal(new long[] { 3, 16 }, projector.forward(randn(3, 64)).shape);
    }

    [Fact]
    public void MultiHead_Forward_ReturnsProjectionAndOneLogitsPerHead()
    {
        using var scope = NewDisposeScope();
        var heads = new MultiHead(featureDim: 12, classCount: 7, headCount: 4, hiddenDim: 16, bottleneckDim: 8);

        var output = heads.forward(randn(5, 12));

        Assert.Equal(new long[] { 5, 8 }, output.Projection.shape);
        Assert.Equal(4, output.Logits.Count);
        Assert.All(output.Logits, l => Assert.Equal(new long[] { 5, 7 }, l.shape));
        // Heads are initialised independently, so their logits differ.
        Assert.False(output.Logits[0].allclose(output.Logits[1]));
    }
}
