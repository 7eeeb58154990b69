using OpenCvSharp;

namespace AnomalyNcd.Core.Metrics;

/// <summary>
/// Box-level error rates of a binarisation (paper Table 3 style). Per image:
/// <list type="bullet">
/// <item>a ground-truth box is <em>detected</em> when at least one predicted box of the same image has
/// IoU &gt; <see cref="IouThreshold"/> (strictly greater than 0.1) with it; otherwise it is missed;</item>
/// <item>a predicted box is a <em>false positive</em> when it has IoU &gt; 0.1 with no ground-truth box of the
/// same image (so every predicted box on an image without ground truth is a false positive);</item>
/// <item>matching is many-to-many: one predicted box may detect several ground-truth boxes and several
/// predicted boxes may share one ground-truth box (no one-to-one assignment).</item>
/// </list>
/// Over a set of images the counts are summed before dividing:
/// FNR = Σ missed ground-truth boxes / Σ ground-truth boxes, FPR = Σ false-positive boxes / Σ predicted boxes
/// (each 0 when its denominator is 0). Boxes are pixel rectangles: <c>Rect(x, y, w, h)</c> covers columns
/// x..x+w-1 and rows y..y+h-1, and IoU is computed on those pixel areas.
/// </summary>
public static class BinarizationErrorRates
{
    public const double IouThreshold = 0.1;

    /// <summary>Intersection over union of two pixel rectangles; 0 when either is empty.</summary>
    public static double IntersectionOverUnion(Rect a, Rect b)
    {
        if (a.Width <= 0 || a.Height <= 0 || b.Width <= 0 || b.Height <= 0)
        {
            return 0.0;
        }

        var overlapWidth = (long)Math.Min(a.X + a.Width, b.X + b.Width) - Math.Max(a.X, b.X);
        var overlapHeight = (long)Math.Min(a.Y + a.Height, b.Y + b.Height) - Math.Max(a.Y, b.Y);
        if (overlapWidth <= 0 || overlapHeight <= 0)
        {
            return 0.0;
        }

        var intersection = overlapWidth * overlapHeight;
        var union = ((long)a.Width * a.Height) + ((long)b.Width * b.Height) - intersection;
        return (double)intersection / union;
    }

    /// <summary>Counts for one image.</summary>
    public static BoxErrorCounts CountImage(IReadOnlyList<Rect> groundTruth, IReadOnlyList<Rect> predicted)
    {
        ArgumentNullException.ThrowIfNull(groundTruth);
        ArgumentNullException.ThrowIfNull(predicted);
        var missed = groundTruth.Count(gt => !predicted.Any(p => IntersectionOverUnion(gt, p) > IouThreshold));
        var falsePositives = predicted.Count(p => !groundTruth.Any(gt => IntersectionOverUnion(gt, p) > IouThreshold));
        return new BoxErrorCounts(groundTruth.Count, missed, predicted.Count, falsePositives);
    }

    /// <summary>Counts summed over images; each item holds one image's ground-truth and predicted boxes.</summary>
    public static BoxErrorCounts Count(IEnumerable<(IReadOnlyList<Rect> GroundTruth, IReadOnlyList<Rect> Predicted)> images)
    {
        ArgumentNullException.ThrowIfNull(images);
        var total = default(BoxErrorCounts);
        foreach (var (groundTruth, predicted) in images)
        {
            total += CountImage(groundTruth, predicted);
        }

        return total;
    }
}
