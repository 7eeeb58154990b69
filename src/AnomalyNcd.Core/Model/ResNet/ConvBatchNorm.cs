using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AnomalyNcd.Core.Model.ResNet;

/// <summary>
/// A bias-free convolution with explicit, possibly uneven zero padding, followed by batch normalisation (running
/// statistics in eval mode). The padding is (top, left, bottom, right) as in ONNX, because the CNTK export of ResNet18
/// pads its stride-2 convolutions on the top and left only.
/// </summary>
public sealed class ConvBatchNorm : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv;
    private readonly BatchNorm2d bn;
    private readonly long[] padding;

    /// <param name="pads">(top, left, bottom, right) zero padding in pixels.</param>
    public ConvBatchNorm(int inChannels, int outChannels, int kernelSize, int stride, (int Top, int Left, int Bottom, int Right) pads)
        : base(nameof(ConvBatchNorm))
    {
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride;
        Pads = pads;
        padding = [pads.Left, pads.Right, pads.Top, pads.Bottom];
        conv = nn.Conv2d(inChannels, outChannels, kernelSize, stride, 0L, bias: false);
        bn = nn.BatchNorm2d(outChannels, eps: 1e-5);
        RegisterComponents();
    }

    public int InChannels { get; }

    public int OutChannels { get; }

    public int KernelSize { get; }

    public int Stride { get; }

    public (int Top, int Left, int Bottom, int Right) Pads { get; }

    public override Tensor forward(Tensor x)
    {
        using var padded = Pads == (0, 0, 0, 0) ? x.alias() : nn.functional.pad(x, padding);
        using var convolved = conv.forward(padded);
        return bn.forward(convolved);
    }

    /// <summary>Replaces the weights and the batch-norm statistics (shapes must match; no gradient is recorded).</summary>
    public void Load(float[] weight, float[] gamma, float[] beta, float[] runningMean, float[] runningVariance)
    {
        using var noGrad = no_grad();
        Copy(conv.weight!, weight);
        Copy(bn.weight!, gamma);
        Copy(bn.bias!, beta);
        Copy(bn.running_mean!, runningMean);
        Copy(bn.running_var!, runningVariance);
    }

    private static void Copy(Tensor target, float[] values)
    {
        if (target.numel() != values.Length)
        {
            throw new ArgumentException($"Expected {target.numel()} values for a tensor of shape [{string.Join(",", target.shape)}], got {values.Length}.", nameof(values));
        }

        using var source = tensor(values).reshape(target.shape).to(target.device);
        target.copy_(source);
    }
}
