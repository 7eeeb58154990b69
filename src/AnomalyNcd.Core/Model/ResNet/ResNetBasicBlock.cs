using static TorchSharp.torch;

namespace AnomalyNcd.Core.Model.ResNet;

/// <summary>
/// ResNet's basic block: two 3×3 convolutions with batch norm, the input added back (through a strided 1×1 convolution
/// when the block halves the grid), then ReLU.
/// </summary>
public sealed class ResNetBasicBlock : nn.Module<Tensor, Tensor>
{
    private readonly ConvBatchNorm conv1;
    private readonly ConvBatchNorm conv2;
    private readonly ConvBatchNorm? downsample;

    /// <param name="stride">2 for the first block of stages 2–4 (uneven top-left padding, as the CNTK export has it), else 1.</param>
    public ResNetBasicBlock(int inChannels, int outChannels, int stride) : base(nameof(ResNetBasicBlock))
    {
        conv1 = new ConvBatchNorm(inChannels, outChannels, 3, stride, stride == 1 ? (1, 1, 1, 1) : (1, 1, 0, 0));
        conv2 = new ConvBatchNorm(outChannels, outChannels, 3, 1, (1, 1, 1, 1));
        downsample = stride != 1 || inChannels != outChannels ? new ConvBatchNorm(inChannels, outChannels, 1, stride, (0, 0, 0, 0)) : null;
        RegisterComponents();
    }

    /// <summary>The convolutions in the order the ONNX graph lists them: the shortcut first, where there is one.</summary>
    public IEnumerable<ConvBatchNorm> ConvolutionsInGraphOrder() =>
        downsample is null ? [conv1, conv2] : [downsample, conv1, conv2];

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var main = conv2.forward(nn.functional.relu(conv1.forward(x)));
        var shortcut = downsample is null ? x : downsample.forward(x);
        return scope.MoveToOuter(nn.functional.relu(main.Plus(shortcut)));
    }
}
