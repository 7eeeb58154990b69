using TorchSharp;
using static TorchSharp.torch;

namespace AnomalyNcd.Core.Model;

/// <summary>
/// Pixel mask → per-token visibility for the CLS query (method-spec §8.3): average-pool each patch,
/// flatten row-major, prepend 1 for CLS; a token is visible iff its pooled value is ≥ 0.5.
/// </summary>
public static class TokenMask
{
    public const double VisibleThreshold = 0.5;

    /// <summary>Pooled mask values [B, N+1] (CLS first, always 1).</summary>
    public static Tensor Pooled(Tensor masks, int patchSize)
    {
        if (masks.ndim != 4 || masks.shape[1] != 1)
        {
            throw new ArgumentException($"Masks must be [B, 1, H, W], got [{string.Join(", ", masks.shape)}].");
        }

        using var scope = NewDisposeScope();
        var pooled = nn.functional.avg_pool2d(masks.to_type(ScalarType.Float32), patchSize, patchSize).flatten(1);
        var cls = ones(new long[] { masks.shape[0], 1 }, dtype: ScalarType.Float32, device: masks.device);
        return scope.MoveToOuter(cat(new[] { cls, pooled }, 1));
    }

    /// <summary>Bool [B, N+1]: true where the CLS query may attend.</summary>
    public static Tensor VisibleToCls(Tensor masks, int patchSize)
    {
        using var pooled = Pooled(masks, patchSize);
        return pooled.AtLeastMask(VisibleThreshold);
    }
}
