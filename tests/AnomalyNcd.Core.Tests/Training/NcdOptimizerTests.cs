using AnomalyNcd.Core.Model;
using AnomalyNcd.Core.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AnomalyNcd.Core.Tests.Training;

public class NcdOptimizerTests
{
    [Fact]
    public void SplitByWeightDecay_BiasesAndOneDimensionalTensorsGetNoDecay_FrozenSkipped()
    {
        using var scope = NewDisposeScope();
        var named = new (string, Parameter)[]
        {
            ("blocks.11.norm1.weight", new Parameter(ones(8))),
            ("blocks.11.attn.qkv.weight", new Parameter(ones(24, 8))),
            ("blocks.11.attn.qkv.bias", new Parameter(zeros(24))),
            ("head.0.weight_v", new Parameter(ones(5, 8))),
            ("blocks.10.mlp.fc1.weight", new Parameter(ones(4, 8), requires_grad: false)),
        };

        var groups = NcdOptimizer.SplitByWeightDecay(named);

        Assert.Equal(new[] { "blocks.11.attn.qkv.weight", "head.0.weight_v" }, groups.Decayed.Select(p => p.Name));
        Assert.Equal(new[] { "blocks.11.norm1.weight", "blocks.11.attn.qkv.bias" }, groups.NotDecayed.Select(p => p.Name));
    }

    [Fact]
    public void SplitByWeightDecay_MultiHead_DecaysWeightMatricesAndDirectionsOnly()
    {
        using var scope = NewDisposeScope();
        var heads = new MultiHead(featureDim: 6, classCount: 3, headCount: 2, hiddenDim: 4, bottleneckDim: 2);

        var groups = NcdOptimizer.SplitByWeightDecay(heads.named_parameters());

        Assert.Equal(5, groups.Decayed.Count);   // 3 projector weights + 2 head directions
        Assert.Equal(3, groups.NotDecayed.Count); // 3 projector biases
        Assert.All(groups.NotDecayed, p => Assert.EndsWith(".bias", p.Name));
    }

    [Fact]
    public void Create_OneStepWithZeroGradient_ShrinksOnlyDecayedParameters()
    {
        using var scope = NewDisposeScope();
        var matrix = new Parameter(ones(2, 2));
        var bias = new Parameter(ones(2));
        var optimizer = NcdOptimizer.Create(new (string, Parameter)[] { ("fc.weight", matrix), ("fc.bias", bias) }, learningRate: 0.1, weightDecay: 0.01);

        // Zero loss gradient: only weight decay (added to the gradient) moves the decayed matrix.
        (matrix.sum() * 0 + bias.sum() * 0).backward();
        optimizer.Step();

        Assert.Equal(1 - 0.1 * 0.01, matrix[0, 0].item<float>(), 6);
        Assert.Equal(1.0f, bias[0].item<float>());
    }

    [Fact]
    public void SetLearningRate_UpdatesEveryGroup()
    {
        using var scope = NewDisposeScope();
        var optimizer = NcdOptimizer.Create(new (string, Parameter)[] { ("fc.weight", new Parameter(ones(2, 2))), ("fc.bias", new Parameter(ones(2))) });

        NcdOptimizer.SetLearningRate(optimizer, 1.5e-3);

        Assert.Equal(2, optimizer.Groups.Count);
        Assert.All(optimizer.Groups, g => Assert.Equal(1.5e-3, g.LearningRate));
    }
}
