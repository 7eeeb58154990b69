using OpenCvSharp;

namespace AnomalyNcd.Core.Features;

/// <summary>
/// Turns ResNet stage maps into a token grid for the mask-guided model: every chosen stage is resized to one grid
/// (bilinear) and the channels are concatenated per grid cell. The default — Layer2 (128) and Layer3 (256, upsampled
/// 14→28) on a 28×28 grid, 384-d tokens — matches ViT-B/8's 28×28 token grid at 224², so the same token-mask pooling
/// (8×8 average of the 224² mask, visible iff ≥ 0.5) applies to both backbones.
/// </summary>
/// <remarks>
/// Resizing follows PyTorch's <c>F.interpolate(mode="bilinear", align_corners=False)</c> without antialiasing:
/// output cell centres map to source coordinate (i + 0.5)·(in/out) − 0.5, clamped at the borders. For an exact 2×
/// reduction (Layer1 56→28) this is the mean of each 2×2 block.
/// </remarks>
public static class PatchTokens
{
    public static readonly IReadOnlyList<ResNetStage> DefaultStages = [ResNetStage.Layer2, ResNetStage.Layer3];

    public const int DefaultGridSize = 28;

    /// <summary>Layer2 ⊕ upsampled Layer3 on a 28×28 grid: 784 tokens of 384 values.</summary>
    public static TokenGrid Build(CropFeatures features) => Build(features, DefaultStages, DefaultGridSize);

    /// <summary>The chosen stages, in the given order, resized to a <paramref name="gridSize"/>² grid and concatenated.</summary>
    public static TokenGrid Build(CropFeatures features, IReadOnlyList<ResNetStage> stages, int gridSize)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(stages);
        return Build(stages.Select(s => features[s]).ToList(), gridSize, gridSize);
    }

    /// <summary>The maps, in the given order, resized to rows×columns and concatenated along the channels.</summary>
    public static TokenGrid Build(IReadOnlyList<FeatureMap> maps, int rows, int columns)
    {
        ArgumentNullException.ThrowIfNull(maps);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        if (maps.Count == 0)
        {
            throw new ArgumentException("Give at least one feature map.", nameof(maps));
        }

        var dimension = maps.Sum(m => m.Channels);
        var cells = rows * columns;
        // Resized planes are written channel-major (contiguous), then transposed once to token-major: much faster
        // than scattering each plane with a stride of the token dimension.
        var planes = new float[dimension * cells];
        var channelOffset = 0;
        foreach (var map in maps)
        {
            for (var c = 0; c < map.Channels; c++)
            {
                ResizeBilinear(map.Plane(c), map.Height, map.Width, planes.AsSpan((channelOffset + c) * cells, cells), rows, columns);
            }

            channelOffset += map.Channels;
        }

        var tokens = new float[cells * dimension];
        using (var channelMajor = Mat.FromPixelData(dimension, cells, MatType.CV_32FC1, planes))
        using (var tokenMajor = Mat.FromPixelData(cells, dimension, MatType.CV_32FC1, tokens))
        {
            Cv2.Transpose(channelMajor, tokenMajor);
        }

        return new TokenGrid(rows, columns, dimension, tokens);
    }

    /// <summary>Bilinear resize of one row-major plane (align_corners = false, clamped borders).</summary>
    internal static void ResizeBilinear(ReadOnlySpan<float> source, int sourceHeight, int sourceWidth, Span<float> target, int targetHeight, int targetWidth)
    {
        if (sourceHeight == targetHeight && sourceWidth == targetWidth)
        {
            source.CopyTo(target);
            return;
        }

        Span<int> x0 = stackalloc int[targetWidth];
        Span<int> x1 = stackalloc int[targetWidth];
        Span<float> wx = stackalloc float[targetWidth];
        for (var x = 0; x < targetWidth; x++)
        {
            (x0[x], x1[x], wx[x]) = SourcePosition(x, sourceWidth, targetWidth);
        }

        for (var y = 0; y < targetHeight; y++)
        {
            var (y0, y1, wy) = SourcePosition(y, sourceHeight, targetHeight);
            var top = source.Slice(y0 * sourceWidth, sourceWidth);
            var bottom = source.Slice(y1 * sourceWidth, sourceWidth);
            for (var x = 0; x < targetWidth; x++)
            {
                var upper = top[x0[x]] + (top[x1[x]] - top[x0[x]]) * wx[x];
                var lower = bottom[x0[x]] + (bottom[x1[x]] - bottom[x0[x]]) * wx[x];
                target[y * targetWidth + x] = upper + (lower - upper) * wy;
            }
        }
    }

    private static (int Low, int High, float Weight) SourcePosition(int target, int sourceLength, int targetLength)
    {
        var position = Math.Max(0.0, (target + 0.5) * sourceLength / targetLength - 0.5);
        var low = Math.Min((int)position, sourceLength - 1);
        var high = Math.Min(low + 1, sourceLength - 1);
        return (low, high, (float)(position - low));
    }
}
