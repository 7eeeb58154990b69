using AnomalyNcd.Core.Features;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AnomalyNcd.Core.Model.ResNet;

/// <summary>
/// The convolutional trunk of ResNet18 as a TorchSharp module (stem and the four residual stages, no pooling or
/// classifier), shaped like the CNTK export shipped in Microsoft.ML.DnnImageFeaturizer.ResNet18 so that its ONNX weights
/// load one to one (<see cref="Features.Onnx.ResNet18OnnxWeights"/>). Unlike the ONNX Runtime session it can run on any
/// device and its later stages can be trained.
/// </summary>
/// <remarks>
/// Input: RGB crops [B, 3, 224, 224] with values 0..255, as <see cref="ResNet18Features"/> takes them; the module does the
/// package's preprocessing itself (channels to BGR, minus the package's per-pixel mean image). Stage outputs are the
/// activations after each stage's last ReLU, as <see cref="ResNet18Features"/> returns them.
/// </remarks>
public sealed class ResNet18Trunk : nn.Module<Tensor, Tensor>
{
    private static readonly int[] StageChannels = [64, 128, 256, 512];

    // The export's last stage has three basic blocks, not torchvision's two (its graph has 22 convolutions and 9 adds).
    private static readonly int[] StageBlocks = [2, 2, 2, 3];

    private readonly Tensor mean_image;
    private readonly ConvBatchNorm stem;
    private readonly ModuleList<ResNetBasicBlock> layer1;
    private readonly ModuleList<ResNetBasicBlock> layer2;
    private readonly ModuleList<ResNetBasicBlock> layer3;
    private readonly ModuleList<ResNetBasicBlock> layer4;

    public ResNet18Trunk() : base(nameof(ResNet18Trunk))
    {
        mean_image = zeros(1, ResNet18Features.InputChannels, ResNet18Features.InputSize, ResNet18Features.InputSize);
        stem = new ConvBatchNorm(ResNet18Features.InputChannels, StageChannels[0], 7, 2, (3, 3, 2, 2));
        layer1 = Stage(StageChannels[0], StageChannels[0], 1, StageBlocks[0]);
        layer2 = Stage(StageChannels[0], StageChannels[1], 2, StageBlocks[1]);
        layer3 = Stage(StageChannels[1], StageChannels[2], 2, StageBlocks[2]);
        layer4 = Stage(StageChannels[2], StageChannels[3], 2, StageBlocks[3]);
        RegisterComponents();
    }

    /// <summary>The package's per-pixel BGR mean image [1, 3, 224, 224] subtracted from every input.</summary>
    public Tensor MeanImage => mean_image;

    /// <summary>Every convolution in the order the ONNX graph lists them (stem, then stage by stage).</summary>
    public IEnumerable<ConvBatchNorm> ConvolutionsInGraphOrder() =>
        new[] { stem }.Concat(new[] { layer1, layer2, layer3, layer4 }.SelectMany(stage => stage.SelectMany(block => block.ConvolutionsInGraphOrder())));

    /// <summary>The last stage's activations [B, 512, 7, 7].</summary>
    public override Tensor forward(Tensor rgb)
    {
        var stages = Stages(rgb, ResNetStage.Layer4);
        for (var i = 0; i < stages.Count - 1; i++)
        {
            stages[i].Dispose();
        }

        return stages[^1];
    }

    /// <summary>The activations at the end of every stage up to <paramref name="deepest"/>, shallowest first.</summary>
    public IReadOnlyList<Tensor> Stages(Tensor rgb, ResNetStage deepest)
    {
        using var scope = NewDisposeScope();
        var x = Stem(rgb);
        var outputs = new List<Tensor>();
        for (var stage = ResNetStage.Layer1; stage <= deepest; stage++)
        {
            x = RunStage(stage, x);
            outputs.Add(x);
        }

        foreach (var output in outputs)
        {
            scope.MoveToOuter(output);
        }

        return outputs;
    }

    /// <summary>Runs one stage on the output of the stage before it (or of the stem for Layer1), e.g. from a cache.</summary>
    public Tensor RunStage(ResNetStage stage, Tensor input)
    {
        var blocks = stage switch
        {
            ResNetStage.Layer1 => layer1,
            ResNetStage.Layer2 => layer2,
            ResNetStage.Layer3 => layer3,
            ResNetStage.Layer4 => layer4,
            _ => throw new ArgumentOutOfRangeException(nameof(stage), stage, "Unknown ResNet stage."),
        };
        using var scope = NewDisposeScope();
        var x = input;
        foreach (var block in blocks)
        {
            x = block.forward(x);
        }

        return scope.MoveToOuter(x);
    }

    /// <summary>Preprocessing, the 7×7 stride-2 convolution, ReLU and the 3×3 stride-2 max pool: [B, 64, 56, 56].</summary>
    public Tensor Stem(Tensor rgb)
    {
        if (rgb.dim() != 4 || rgb.shape[1] != ResNet18Features.InputChannels || rgb.shape[2] != ResNet18Features.InputSize || rgb.shape[3] != ResNet18Features.InputSize)
        {
            throw new ArgumentException($"Expected RGB crops [B, 3, {ResNet18Features.InputSize}, {ResNet18Features.InputSize}], got [{string.Join(",", rgb.shape)}].", nameof(rgb));
        }

        using var scope = NewDisposeScope();
        var prepared = rgb.flip(1).Minus(mean_image);
        var activated = nn.functional.relu(stem.forward(prepared));

        // The export pads the pool on the top and left only; after a ReLU a zero pad never wins the maximum.
        var padded = nn.functional.pad(activated, [1, 0, 1, 0]);
        return scope.MoveToOuter(nn.functional.max_pool2d(padded, 3, 2));
    }

    private static ModuleList<ResNetBasicBlock> Stage(int inChannels, int outChannels, int stride, int blocks) =>
        nn.ModuleList([new ResNetBasicBlock(inChannels, outChannels, stride), .. Enumerable.Range(1, blocks - 1).Select(_ => new ResNetBasicBlock(outChannels, outChannels, 1))]);
}
