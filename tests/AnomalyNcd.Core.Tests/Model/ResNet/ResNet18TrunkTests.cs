using AnomalyNcd.Core.Features;
using AnomalyNcd.Core.Model.ResNet;
using AnomalyNcd.Core.Tests.Training;
using static TorchSharp.torch;

namespace AnomalyNcd.Core.Tests.Model.ResNet;

// Seeded inputs and initial weights: another class drawing from the global generator meanwhile would change them.
[Collection(TorchGlobalRandomCollection.Name)]
public class ResNet18TrunkTests
{
    [Fact]
    public void Stages_HaveResNetShapesForA224Input()
    {
        using var trunk = EvalTrunk();
        using var noGrad = no_grad();
        using var input = RandomCrops(2, seed: 5);
        var stages = trunk.Stages(input, ResNetStage.Layer4);
        Assert.Equal(4, stages.Count);
        foreach (var (stage, actual) in new[] { ResNetStage.Layer1, ResNetStage.Layer2, ResNetStage.Layer3, ResNetStage.Layer4 }.Zip(stages))
        {
            Assert.Equal([2, stage.Channels(), stage.Size(), stage.Size()], actual.shape);
            actual.Dispose();
        }
    }

    [Fact]
    public void RunStage_FromACachedStage_EqualsTheWholeForward()
    {
        // What training a later stage on cached lower stages relies on: the split forward is the same computation.
        using var trunk = EvalTrunk();
        using var noGrad = no_grad();
        using var input = RandomCrops(1, seed: 6);
        using var whole = trunk.forward(input);
        var lower = trunk.Stages(input, ResNetStage.Layer2);
        using var layer3 = trunk.RunStage(ResNetStage.Layer3, lower[1]);
        using var layer4 = trunk.RunStage(ResNetStage.Layer4, layer3);
        Assert.True(whole.eq(layer4).all().item<bool>());
        foreach (var stage in lower)
        {
            stage.Dispose();
        }
    }

    [Fact]
    public void Stem_WrongInputSize_SaysWhatItExpects()
    {
        using var trunk = new ResNet18Trunk();
        using var input = zeros(1, 3, 112, 112);
        var error = Assert.Throws<ArgumentException>(() => trunk.Stem(input));
        Assert.Contains("[B, 3, 224, 224]", error.Message);
    }

    [Fact]
    public void ConvolutionsInGraphOrder_ShortcutFirstInEachHalvingBlock()
    {
        using var trunk = new ResNet18Trunk();
        var convolutions = trunk.ConvolutionsInGraphOrder().ToList();
        Assert.Equal(22, convolutions.Count);
        Assert.Equal(7, convolutions[0].KernelSize);
        // Stem, four convolutions of layer1, then layer2's shortcut (1×1, stride 2) before its first 3×3.
        Assert.Equal((1, 2), (convolutions[5].KernelSize, convolutions[5].Stride));
        Assert.Equal((3, 2, (1, 1, 0, 0)), (convolutions[6].KernelSize, convolutions[6].Stride, convolutions[6].Pads));
        Assert.Equal(512, convolutions[^1].OutChannels);
    }

    private static ResNet18Trunk EvalTrunk()
    {
        var trunk = new ResNet18Trunk();
        trunk.eval();
        return trunk;
    }

    /// <summary>Seeded random RGB crops [count, 3, 224, 224] with values 0..255.</summary>
    private static Tensor RandomCrops(int count, int seed)
    {
        manual_seed(seed);
        return rand(count, 3, 224, 224).mul_(255);
    }
}
