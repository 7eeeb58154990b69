using System.Numerics;
using System.Runtime.InteropServices;
using AnomalyNcd.Core.Features;
using AnomalyNcd.Core.Imaging;
using OpenCvSharp;

namespace AnomalyNcd.Core.Detection;

/// <summary>
/// PatchCore patch features of one image: the image is resized to 224×224 (the aspect ratio is <b>not</b> kept, as
/// in most PatchCore ports), ResNet18 Layer2 (128×28×28) and Layer3 (256×14×14, upsampled bilinearly to 28×28) are
/// concatenated to 784 patches of 384 values, and every patch is replaced by the mean of its 3×3 neighbourhood on the
/// grid (cells outside the grid are left out of the mean, so borders average fewer cells).
/// </summary>
/// <remarks>Safe for concurrent calls: the underlying <see cref="ResNet18Features"/> allows concurrent extraction.</remarks>
public sealed class PatchFeatureExtractor : IDisposable
{
    public const int GridSize = PatchTokens.DefaultGridSize;
    public const int NeighbourhoodSize = 3;
    public static readonly IReadOnlyList<ResNetStage> Stages = PatchTokens.DefaultStages;

    private readonly ResNet18Features network;

    public PatchFeatureExtractor(ResNet18Options? options = null, PatchLayout layout = PatchLayout.Squash)
    {
        network = new ResNet18Features(Stages, options);
        Layout = layout;
        Dimension = Stages.Sum(s => s.Channels());
        Precision = options?.Precision ?? BackbonePrecision.Fp32;
        Int8Ranges = Precision == BackbonePrecision.Int8 ? options!.Int8Ranges : null;
    }

    /// <summary>How an image becomes 224×224 backbone inputs.</summary>
    public PatchLayout Layout { get; }

    /// <summary>Arithmetic of the backbone forward pass.</summary>
    public BackbonePrecision Precision { get; }

    /// <summary>The activation ranges the int8 backbone was quantised with; null for fp32.</summary>
    public IReadOnlyDictionary<string, ActivationRange>? Int8Ranges { get; }

    /// <summary>
    /// The extractor to fit a detector with: fp32 as shipped, or int8 calibrated on up to
    /// <see cref="PatchCoreOptions.CalibrationImages"/> evenly spaced images of <paramref name="normalImages"/>.
    /// </summary>
    public static PatchFeatureExtractor ForFitting(IReadOnlyList<string> normalImages, PatchCoreOptions options, ResNet18Options? baseOptions = null)
    {
        ArgumentNullException.ThrowIfNull(normalImages);
        ArgumentNullException.ThrowIfNull(options);
        baseOptions ??= new ResNet18Options();
        if (options.Precision == BackbonePrecision.Fp32)
        {
            return new PatchFeatureExtractor(baseOptions with { Precision = BackbonePrecision.Fp32, Int8Ranges = null }, options.Layout);
        }

        var count = Math.Min(options.CalibrationImages, normalImages.Count);
        var chosen = Enumerable.Range(0, count).Select(i => normalImages[(int)((long)i * normalImages.Count / count)]).ToList();
        return new PatchFeatureExtractor(baseOptions with { Precision = BackbonePrecision.Int8, Int8Ranges = CalibrateInt8(chosen, baseOptions) }, options.Layout);
    }

    /// <summary>The extractor a saved detector scores with (its precision and, for int8, its calibrated ranges).</summary>
    public static PatchFeatureExtractor ForDetector(DetectorMetadata metadata, ResNet18Options? baseOptions = null)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        baseOptions ??= new ResNet18Options();
        var precision = BackbonePrecisionNames.Parse(metadata.Precision, "detector.json precision");
        return new PatchFeatureExtractor(
            baseOptions with { Precision = precision, Int8Ranges = precision == BackbonePrecision.Int8 ? metadata.Int8Ranges : null },
            PatchLayoutNames.Parse(metadata.Layout, "detector.json layout"));
    }

    /// <summary>Activation ranges of the backbone on these image files, prepared exactly as <see cref="Extract(Mat)"/> prepares them.</summary>
    public static IReadOnlyDictionary<string, ActivationRange> CalibrateInt8(IReadOnlyList<string> images, ResNet18Options? options = null)
    {
        ArgumentNullException.ThrowIfNull(images);
        return ResNet18Features.CalibrateInt8(images.Select(path =>
        {
            using var rgb = ImageFiles.ReadRgb(path);
            return Prepare(rgb);
        }), Stages, options);
    }

    /// <summary>Values per patch (384).</summary>
    public int Dimension { get; }

    /// <summary>Reads an image file (grayscale files become 3 equal channels) and returns its patch features and size.</summary>
    public ImagePatches ExtractFile(string path)
    {
        Mat rgb;
        using (ScoringMetrics.Measure(ScoringStage.Decode))
        {
            rgb = ImageFiles.ReadRgb(path);
        }

        using (rgb)
        {
            return Layout == PatchLayout.Tiles
                ? ExtractTiles(rgb)
                : new ImagePatches(Extract(rgb), GridSize, GridSize, rgb.Width, rgb.Height, rgb.Width, rgb.Height);
        }
    }

    /// <summary>The <see cref="PatchLayout.Tiles"/> grid: every cell's features from the tile whose centre is nearest, then the 3×3 mean.</summary>
    private ImagePatches ExtractTiles(Mat rgb)
    {
        var plan = TilePlan.For(rgb.Width, rgb.Height);
        using var scaled = new Mat();
        using var padded = new Mat();
        using (ScoringMetrics.Measure(ScoringStage.Resize))
        {
            var interpolation = plan.Scale < 1 ? InterpolationFlags.Area : InterpolationFlags.Linear;
            Cv2.Resize(rgb, scaled, new Size(plan.ScaledWidth, plan.ScaledHeight), interpolation: interpolation);
            Cv2.CopyMakeBorder(scaled, padded, 0, plan.PaddedHeight - plan.ScaledHeight, 0, plan.PaddedWidth - plan.ScaledWidth, BorderTypes.Reflect101);
        }

        var tiles = new float[plan.OriginsY.Count, plan.OriginsX.Count][];
        for (var ty = 0; ty < plan.OriginsY.Count; ty++)
        {
            for (var tx = 0; tx < plan.OriginsX.Count; tx++)
            {
                using var tile = new Mat(padded, new Rect(plan.OriginsX[tx], plan.OriginsY[ty], TilePlan.Tile, TilePlan.Tile));
                using var contiguous = tile.Clone();
                CropFeatures features;
                using (ScoringMetrics.Measure(ScoringStage.Forward))
                {
                    features = network.Extract(ResNet18Features.ToPlanarRgb(contiguous));
                }

                using (ScoringMetrics.Measure(ScoringStage.Tokens))
                {
                    tiles[ty, tx] = PatchTokens.Build(features, Stages, GridSize).Values;
                }
            }
        }

        var (columns, rows, dimension) = (plan.Columns, plan.Rows, Dimension);
        var tileX = TilePlan.NearestTile(plan.OriginsX, columns);
        var tileY = TilePlan.NearestTile(plan.OriginsY, rows);
        var grid = new float[columns * rows * dimension];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                var localRow = r - (plan.OriginsY[tileY[r]] / TilePlan.Stride);
                var localColumn = c - (plan.OriginsX[tileX[c]] / TilePlan.Stride);
                Array.Copy(tiles[tileY[r], tileX[c]], ((localRow * GridSize) + localColumn) * dimension, grid, ((r * columns) + c) * dimension, dimension);
            }
        }

        float[] patches;
        using (ScoringMetrics.Measure(ScoringStage.Aggregate))
        {
            patches = AverageNeighbourhood(grid, rows, columns, dimension);
        }

        var coveredWidth = (int)Math.Ceiling(plan.PaddedWidth / plan.Scale);
        var coveredHeight = (int)Math.Ceiling(plan.PaddedHeight / plan.Scale);
        return new ImagePatches(patches, columns, rows, rgb.Width, rgb.Height, Math.Max(coveredWidth, rgb.Width), Math.Max(coveredHeight, rgb.Height));
    }

    /// <summary>Patch features [784, 384] (patch-major) of an 8-bit RGB image of any size.</summary>
    public float[] Extract(Mat rgb)
    {
        ArgumentNullException.ThrowIfNull(rgb);
        float[] planar;
        using (ScoringMetrics.Measure(ScoringStage.Resize))
        {
            planar = Prepare(rgb);
        }

        CropFeatures features;
        using (ScoringMetrics.Measure(ScoringStage.Forward))
        {
            features = network.Extract(planar);
        }

        TokenGrid grid;
        using (ScoringMetrics.Measure(ScoringStage.Tokens))
        {
            grid = PatchTokens.Build(features, Stages, GridSize);
        }

        using (ScoringMetrics.Measure(ScoringStage.Aggregate))
        {
            return AverageNeighbourhood(grid.Values, GridSize, GridSize, grid.Dimension);
        }
    }

    /// <summary>The backbone input of an image: resized to 224×224, channel-major floats.</summary>
    private static float[] Prepare(Mat rgb)
    {
        using var resized = new Mat();
        // Area averaging when shrinking avoids aliasing; OpenCV falls back to bilinear when enlarging.
        Cv2.Resize(rgb, resized, new Size(ResNet18Features.InputSize, ResNet18Features.InputSize), interpolation: InterpolationFlags.Area);
        return ResNet18Features.ToPlanarRgb(resized);
    }

    /// <summary>Mean of each cell's 3×3 neighbourhood over the cells that exist (token-major [rows·cols, dim]).</summary>
    /// <remarks>
    /// The neighbourhood is a rectangle clipped to the grid, so its sum is separable: a horizontal pass sums each
    /// cell's row neighbours, a vertical pass sums those sums, and the count is (rows kept)·(columns kept).
    /// Both passes add whole token vectors with SIMD.
    /// </remarks>
    internal static float[] AverageNeighbourhood(ReadOnlySpan<float> tokens, int rows, int columns, int dimension)
    {
        const int radius = NeighbourhoodSize / 2;
        // The row sums are scratch: a pooled buffer spares a 1.2 MB large-object allocation per image.
        var rented = System.Buffers.ArrayPool<float>.Shared.Rent(tokens.Length);
        var horizontal = rented.AsSpan(0, tokens.Length);
        horizontal.Clear();
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                var target = horizontal.Slice((r * columns + c) * dimension, dimension);
                for (var nc = Math.Max(0, c - radius); nc <= Math.Min(columns - 1, c + radius); nc++)
                {
                    AddInPlace(target, tokens.Slice((r * columns + nc) * dimension, dimension));
                }
            }
        }

        var result = new float[tokens.Length];
        for (var r = 0; r < rows; r++)
        {
            var rowLow = Math.Max(0, r - radius);
            var rowHigh = Math.Min(rows - 1, r + radius);
            for (var c = 0; c < columns; c++)
            {
                var target = result.AsSpan((r * columns + c) * dimension, dimension);
                for (var nr = rowLow; nr <= rowHigh; nr++)
                {
                    AddInPlace(target, horizontal.Slice((nr * columns + c) * dimension, dimension));
                }

                var count = (rowHigh - rowLow + 1) * (Math.Min(columns - 1, c + radius) - Math.Max(0, c - radius) + 1);
                Scale(target, 1f / count);
            }
        }

        System.Buffers.ArrayPool<float>.Shared.Return(rented);
        return result;
    }

    private static void AddInPlace(Span<float> target, ReadOnlySpan<float> source)
    {
        var t = MemoryMarshal.Cast<float, Vector<float>>(target);
        var s = MemoryMarshal.Cast<float, Vector<float>>(source);
        for (var i = 0; i < t.Length; i++)
        {
            t[i] += s[i];
        }

        for (var i = t.Length * Vector<float>.Count; i < target.Length; i++)
        {
            target[i] += source[i];
        }
    }

    private static void Scale(Span<float> target, float factor)
    {
        var t = MemoryMarshal.Cast<float, Vector<float>>(target);
        for (var i = 0; i < t.Length; i++)
        {
            t[i] *= factor;
        }

        for (var i = t.Length * Vector<float>.Count; i < target.Length; i++)
        {
            target[i] *= factor;
        }
    }

    public void Dispose() => network.Dispose();
}
