using AnomalyNcd.Core.Imaging;
using OpenCvSharp;

namespace AnomalyNcd.Core.Extraction;

/// <summary>
/// Shrinks each region of a binarised map to its core: the pixels whose map value is at least a fraction of the
/// region's own peak. A detector's map draws a defect as a smooth blob wider than the defect (patch grid plus
/// smoothing), so the core sits closer to the defect's extent and its crop shows less of the surrounding texture.
/// </summary>
public static class RegionCores
{
    /// <summary>Keeps, in every 8-connected region of <paramref name="mask"/>, the pixels at ≥ fraction × the region's peak of <paramref name="map"/>.</summary>
    public static GrayImage Keep(GrayImage mask, GrayImage map, double fraction)
    {
        ArgumentNullException.ThrowIfNull(mask);
        ArgumentNullException.ThrowIfNull(map);
        ArgumentOutOfRangeException.ThrowIfNotEqual(map.Width, mask.Width);
        ArgumentOutOfRangeException.ThrowIfNotEqual(map.Height, mask.Height);
        if (double.IsNaN(fraction) || fraction is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "must be in [0, 1]");
        }

        // Label the regions with the connected components MEBin counts (8-connected), then each label's peak.
        using var source = mask.ToMat();
        using var labels = new Mat();
        var count = Cv2.ConnectedComponents(source, labels, PixelConnectivity.Connectivity8, MatType.CV_32S);
        labels.GetArray(out int[] label);
        var peaks = new byte[count];
        for (var p = 0; p < label.Length; p++)
        {
            peaks[label[p]] = Math.Max(peaks[label[p]], map.Pixels[p]);
        }

        var kept = new byte[mask.Pixels.Length];
        for (var p = 0; p < kept.Length; p++)
        {
            if (label[p] != 0 && map.Pixels[p] >= fraction * peaks[label[p]])
            {
                kept[p] = mask.Pixels[p];
            }
        }

        return new GrayImage(mask.Width, mask.Height, kept);
    }
}
