using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AnomalyNcd.Core.Model;

/// <summary>
/// One bias-free cosine classifier (method-spec §8.5): logits = normalize(f) · normalize_rows(V)ᵀ,
/// each in [-1, 1]. The reference uses weight_norm with the gain frozen at 1, so only the direction
/// matrix V [classes, D] trains; the normalisation runs inside forward so gradients flow through it.
/// </summary>
public sealed class CosineClassifierHead : Module<Tensor, Tensor>
{
    // Named like weight_norm's direction parameter of the reference.
    private readonly Parameter weight_v;

    public CosineClassifierHead(long inputDim, long classCount) : base(nameof(CosineClassifierHead))
    {
        if (inputDim <= 0 || classCount <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(classCount), "classifier sizes must be positive");
        }

        ClassCount = classCount;
        weight_v = Parameter(empty(classCount, inputDim));
        RegisterComponents();

        // PyTorch's default Linear init (kaiming-uniform with a = √5) is uniform ±1/√D; the reference keeps it.
        var bound = 1.0 / Math.Sqrt(inputDim);
        using (no_grad())
        {
            init.uniform_(weight_v, -bound, bound);
        }
    }

    public long ClassCount { get; }

    /// <summary>The trainable direction matrix V [classes, D] (unnormalised).</summary>
    public Parameter Directions => weight_v;

    public override Tensor forward(Tensor features)
    {
        var unitFeatures = functional.normalize(features, p: 2.0, dim: 1);
        var unitDirections = functional.normalize(weight_v, p: 2.0, dim: 1);
        return unitFeatures.matmul(unitDirections.t());
    }
}
