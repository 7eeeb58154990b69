using AnomalyNcd.Core.Imaging;
using AnomalyNcd.Core.Maps;

namespace AnomalyNcd.Core.Metrics;

/// <summary>
/// The ceiling for any binarisation of a map: the threshold, among <see cref="Levels"/> evenly spaced between the map's
/// minimum and maximum, whose foreground best matches the image's ground-truth mask (pixel IoU). A map whose mask is
/// empty gets no foreground. Needs the masks, so it is a measurement, never a product path.
/// </summary>
public static class OracleBinarization
{
    public const int Levels = 64;

    /// <summary>The best mask (255 = foreground) and its IoU; an empty mask for an empty ground truth.</summary>
    public static (GrayImage Mask, double Iou) Best(FloatMap map, GrayImage truth)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(truth);
        if ((map.Width, map.Height) != (truth.Width, truth.Height))
        {
            throw new ArgumentException($"map is {map.Width}x{map.Height}, mask {truth.Width}x{truth.Height}", nameof(truth));
        }

        var result = new GrayImage(map.Width, map.Height);
        var inTruth = truth.Pixels.Select(p => p > BinaryMasks.Threshold).ToArray();
        var truthArea = inTruth.Count(x => x);
        if (truthArea == 0)
        {
            return (result, 1.0);
        }

        var values = map.Values;
        var (min, max) = map.Range();
        double bestIou = -1, bestThreshold = max;
        for (var level = 0; level < Levels; level++)
        {
            var threshold = min + ((max - min) * level / (double)Levels);
            long intersection = 0, union = truthArea;
            for (var i = 0; i < values.Length; i++)
            {
                if (values[i] > threshold)
                {
                    if (inTruth[i])
                    {
                        intersection++;
                    }
                    else
                    {
                        union++;
                    }
                }
            }

            var iou = intersection / (double)union;
            if (iou > bestIou)
            {
                (bestIou, bestThreshold) = (iou, threshold);
            }
        }

        for (var i = 0; i < values.Length; i++)
        {
            result.Pixels[i] = values[i] > bestThreshold ? (byte)255 : (byte)0;
        }

        return (result, bestIou);
    }
}
