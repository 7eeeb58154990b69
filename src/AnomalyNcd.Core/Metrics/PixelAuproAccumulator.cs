using AnomalyNcd.Core.Datasets;
using AnomalyNcd.Core.Extraction;
using AnomalyNcd.Core.Imaging;
using OpenCvSharp;

namespace AnomalyNcd.Core.Metrics;

/// <summary>
/// Collects, image by image, anomaly maps with their ground-truth masks for pixel <see cref="Aupro"/>: overall, and
/// per defect label (that label's images with the normal ones). Images are stored by index, so scoring may add them
/// in any order and from several threads (one index per image). AUPRO is only defined once every image has a mask:
/// a defective image without one makes it unavailable rather than wrong.
/// </summary>
public sealed class PixelAuproAccumulator
{
    private readonly float[][] maps;
    private readonly byte[][] masks;
    private readonly int[] widths;
    private readonly string?[] defects;
    private volatile bool incomplete;

    public PixelAuproAccumulator(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        maps = new float[count][];
        masks = new byte[count][];
        widths = new int[count];
        defects = new string?[count];
    }

    /// <summary>False once an image could not be given a mask, or while an image is missing.</summary>
    public bool Complete => !incomplete && maps.All(m => m is not null);

    /// <summary>The defect labels added, in ordinal order.</summary>
    public IReadOnlyList<string> DefectLabels => [.. defects.OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    /// <param name="index">The image's position, 0 ≤ index &lt; count.</param>
    /// <param name="map">Anomaly scores, row-major, <paramref name="width"/> wide, the size of <paramref name="mask"/>.</param>
    /// <param name="mask">Ground truth, nonzero = anomalous.</param>
    /// <param name="width">Width of map and mask.</param>
    /// <param name="defectLabel">The image's defect label; null for a normal image.</param>
    public void Add(int index, float[] map, byte[] mask, int width, string? defectLabel = null)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(mask);
        if (map.Length != mask.Length || width <= 0 || map.Length % width != 0)
        {
            throw new ArgumentException($"map ({map.Length}) and mask ({mask.Length}) need the same size, a multiple of the width {width}");
        }

        maps[index] = map;
        masks[index] = mask;
        widths[index] = width;
        defects[index] = defectLabel;
    }

    /// <summary>
    /// Adds a scored manifest row: its mask (read, and resized to the map with nearest neighbour when its size
    /// differs), or an all-normal mask for a row labelled normal without one. A defective or unlabelled row without a
    /// mask makes the AUPRO unavailable.
    /// </summary>
    public void Add(int index, float[] map, int width, ManifestRow row, Manifest manifest)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(manifest);
        var normal = row.Label is not null && ManifestRegionExtractor.IsNormalLabel(row.Label);
        if (row.Mask is null && !normal)
        {
            incomplete = true;
            return;
        }

        var mask = row.Mask is null ? new byte[map.Length] : ReadMask(manifest.Resolve(row.Mask), width, map.Length / width);
        Add(index, map, mask, width, normal ? null : row.Label);
    }

    /// <summary>AUPRO over every image; null when not <see cref="Complete"/>, NaN without any defect region or normal pixel.</summary>
    public double? Compute(double fprLimit = Aupro.DefaultFprLimit) =>
        Complete ? Aupro.Compute(maps, masks, widths, fprLimit) : null;

    /// <summary>AUPRO over the images of <paramref name="defectLabel"/> and the normal ones; null when not <see cref="Complete"/>.</summary>
    public double? ComputeFor(string defectLabel, double fprLimit = Aupro.DefaultFprLimit)
    {
        if (!Complete)
        {
            return null;
        }

        var subset = Enumerable.Range(0, maps.Length).Where(i => defects[i] is null || defects[i] == defectLabel).ToList();
        return Aupro.Compute([.. subset.Select(i => maps[i])], [.. subset.Select(i => masks[i])], [.. subset.Select(i => widths[i])], fprLimit);
    }

    private static byte[] ReadMask(string path, int width, int height)
    {
        var mask = ImageFiles.ReadGray(path);
        if (mask.Width == width && mask.Height == height)
        {
            return mask.Pixels;
        }

        using var source = mask.ToMat();
        using var resized = new Mat();
        Cv2.Resize(source, resized, new Size(width, height), interpolation: InterpolationFlags.Nearest);
        return GrayImage.FromMat(resized).Pixels;
    }
}
