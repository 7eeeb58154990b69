using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AnomalyNcd.Core.Tests.Training;

[Collection(TorchGlobalRandomCollection.Name)]
public class MomentumSgdTests
{
    /// <summary>Two weight matrices and a bias with fixed values, and a loss that reaches all of them.</summary>
    private static Parameter[] Parameters() =>
    [
        new Parameter(linspace(-1, 1, 12).reshape(3, 4)),
        new Parameter(linspace(0.5, -0.5, 3)),
        new Parameter(linspace(0.2, 0.9, 8).reshape(4, 2)),
    ];

    private static void AssertSameValues(Parameter[] expected, Parameter[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i].data<float>().ToArray(), actual[i].data<float>().ToArray());
        }
    }

    private static Tensor Loss(Parameter[] p, int step)
    {
        var input = linspace(-2 + step, 3, 8).reshape(2, 4);
        return input.matmul(p[0].t()).add(p[1]).tanh().sum().mul(p[2].pow(2).sum());
    }

    [Fact]
    public void Step_EqualsTorchSharpSgd_OverSeveralSteps()
    {
        using var scope = NewDisposeScope();
        var ours = Parameters();
        var theirs = Parameters();
        using var sgd = new MomentumSgd(
            [new MomentumSgd.ParameterGroup([ours[1]], 0.1, 0.0), new MomentumSgd.ParameterGroup([ours[0], ours[2]], 0.1, 0.01)], momentum: 0.9);
        using var reference = optim.SGD(
            [
                new SGD.ParamGroup([theirs[1]], lr: 0.1, momentum: 0.9, weight_decay: 0.0),
                new SGD.ParamGroup([theirs[0], theirs[2]], lr: 0.1, momentum: 0.9, weight_decay: 0.01),
            ],
            0.1,
            momentum: 0.9);

        for (var step = 0; step < 5; step++)
        {
            sgd.ZeroGrad();
            Loss(ours, step).backward();
            sgd.Step();
            reference.zero_grad();
            Loss(theirs, step).backward();
            reference.step();
        }

        AssertSameValues(theirs, ours);
    }

    [Fact]
    public void Step_ParameterWithoutGradient_IsNotMoved()
    {
        using var scope = NewDisposeScope();
        var p = Parameters();
        using var sgd = new MomentumSgd([new MomentumSgd.ParameterGroup(p, 0.1, 0.01)], momentum: 0.9);
        Loss(p, 0).backward();
        sgd.Step();
        var before = p.Select(x => x.data<float>().ToArray()).ToArray();

        sgd.ZeroGrad();
        sgd.Step(); // no backward since: no gradient, so neither decay nor momentum moves anything

        for (var i = 0; i < p.Length; i++)
        {
            Assert.Equal(before[i], p[i].data<float>().ToArray());
        }
    }

    [Fact]
    public void SaveAndLoad_ResumedMomentumContinuesExactly()
    {
        using var scope = NewDisposeScope();
        using var folder = TestData.NewTempFolder();
        var path = Path.Combine(folder.Path, "momentum.bin");
        var original = Parameters();
        using var sgd = new MomentumSgd([new MomentumSgd.ParameterGroup(original, 0.05, 0.01)], momentum: 0.9);
        for (var step = 0; step < 2; step++)
        {
            sgd.ZeroGrad();
            Loss(original, step).backward();
            sgd.Step();
        }

        sgd.Save(path);
        var copy = original.Select(x => new Parameter(x.detach().clone())).ToArray();
        using var resumed = new MomentumSgd([new MomentumSgd.ParameterGroup(copy, 0.05, 0.01)], momentum: 0.9);
        resumed.Load(path);
        sgd.ZeroGrad();
        Loss(original, 2).backward();
        sgd.Step();
        Loss(copy, 2).backward();
        resumed.Step();

        AssertSameValues(original, copy);
    }

    [Fact]
    public void Load_StateOfOtherParameters_IsInvalidInputNamingTheFile()
    {
        using var scope = NewDisposeScope();
        using var folder = TestData.NewTempFolder();
        var path = Path.Combine(folder.Path, "momentum.bin");
        var p = Parameters();
        using var sgd = new MomentumSgd([new MomentumSgd.ParameterGroup(p, 0.05, 0.0)], momentum: 0.9);
        Loss(p, 0).backward();
        sgd.Step();
        sgd.Save(path);
        using var other = new MomentumSgd([new MomentumSgd.ParameterGroup([new Parameter(ones(5))], 0.05, 0.0)], momentum: 0.9);
        var garbage = Path.Combine(folder.Path, "garbage.bin");
        File.WriteAllBytes(garbage, [1, 2, 3]);

        var wrongCount = Assert.Throws<InvalidInputException>(() => other.Load(path));
        var damaged = Assert.Throws<InvalidInputException>(() => sgd.Load(garbage));

        Assert.Contains("momentum.bin", wrongCount.Message);
        Assert.Contains("garbage.bin", damaged.Message);
    }
}
