using AnomalyNcd.Core.Imaging;
using OpenCvSharp;

namespace AnomalyNcd.Core.Metrics;

/// <summary>Ground-truth boxes of a mask: the bounding boxes of its 8-connected foreground components.</summary>
public static class GroundTruthBoxes
{
    /// <summary>
    /// Foreground is a pixel value above <paramref name="threshold"/> (default 127: real masks such as MTD's have
    /// soft edges, see the data README; a clean 0/255 mask gives the same result for any threshold in 0..254).
    /// Boxes are sorted by top edge, then left edge, then size, so the order does not depend on OpenCV's labelling algorithm.
    /// </summary>
    public static IReadOnlyList<Rect> FromMask(GrayImage mask, byte threshold = BinaryMasks.Threshold)
    {
        ArgumentNullException.ThrowIfNull(mask);
        using var source = mask.ToMat();
        using var foreground = new Mat();
        Cv2.Threshold(source, foreground, threshold, 255, ThresholdTypes.Binary);
        using var labels = new Mat();
        using var stats = new Mat();
        using var centroids = new Mat();
        var count = Cv2.ConnectedComponentsWithStats(foreground, labels, stats, centroids, PixelConnectivity.Connectivity8, MatType.CV_32S);
        var boxes = new List<Rect>(Math.Max(0, count - 1));
        for (var label = 1; label < count; label++)
        {
            boxes.Add(new Rect(
                stats.At<int>(label, (int)ConnectedComponentsTypes.Left),
                stats.At<int>(label, (int)ConnectedComponentsTypes.Top),
                stats.At<int>(label, (int)ConnectedComponentsTypes.Width),
                stats.At<int>(label, (int)ConnectedComponentsTypes.Height)));
        }

        return boxes.OrderBy(b => b.Y).ThenBy(b => b.X).ThenBy(b => b.Height).ThenBy(b => b.Width).ToList();
    }
}
