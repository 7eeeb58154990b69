using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AnomalyNcd.Core.Model;

/// <summary>
/// The projector of method-spec §8.5: Linear(D, hidden) → GELU → Linear(hidden, hidden) → GELU →
/// Linear(hidden, bottleneck), no batch norm. Its output z feeds only the contrastive losses and is
/// not normalised here. Weights start trunc-normal (std 0.02), biases at zero.
/// </summary>
public sealed class ProjectionHead : Module<Tensor, Tensor>
{
    public const long DefaultHiddenDim = 2048;
    public const long DefaultBottleneckDim = 256;
    private const double InitStd = 0.02;

    // Named after the reference attribute so parameter names read "mlp.0.weight" etc.
    private readonly Sequential mlp;

    public ProjectionHead(long inputDim, long hiddenDim = DefaultHiddenDim, long bottleneckDim = DefaultBottleneckDim)
        : base(nameof(ProjectionHead))
    {
        if (inputDim <= 0 || hiddenDim <= 0 || bottleneckDim <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(inputDim), "projector sizes must be positive");
        }

        InputDim = inputDim;
        OutputDim = bottleneckDim;
        var first = Linear(inputDim, hiddenDim);
        var second = Linear(hiddenDim, hiddenDim);
        var last = Linear(hiddenDim, bottleneckDim);
        mlp = Sequential(
            ("0", first),
            ("1", GELU()),
            ("2", second),
            ("3", GELU()),
            ("4", last));
        RegisterComponents();

        using (no_grad())
        {
            foreach (var linear in new[] { first, second, last })
            {
                TruncatedNormal(linear.weight, InitStd, bound: 2.0);
                init.zeros_(linear.bias);
            }
        }
    }

    public long InputDim { get; }

    public long OutputDim { get; }

    public override Tensor forward(Tensor features) => mlp.forward(features);

    // Normal(0, std) redrawn wherever it falls outside ±bound. TorchSharp 0.107's init.trunc_normal_
    // returned values of order 1e-9 for std 0.02 (measured), so the draw is done here. With the
    // reference's absolute bound ±2 (100 std) a redraw practically never happens.
    private static void TruncatedNormal(Tensor weight, double std, double bound)
    {
        weight.normal_(0.0, std);
        while (true)
        {
            var outside = weight.abs().AboveMask(bound);
            if (!outside.any().item<bool>())
            {
                return;
            }

            weight.masked_scatter_(outside, empty_like(weight).normal_(0.0, std).masked_select(outside));
        }
    }
}
