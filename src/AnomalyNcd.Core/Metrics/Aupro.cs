using OpenCvSharp;

namespace AnomalyNcd.Core.Metrics;

/// <summary>
/// Area under the per-region-overlap curve (Bergmann et al., MVTec AD), up to a false-positive-rate limit (0.3 by
/// default), normalised by that limit so a perfect map scores 1.
/// </summary>
/// <remarks>
/// For a threshold t, FPR(t) is the share of all ground-truth-normal pixels (of every image) scoring above t, and
/// PRO(t) is the mean, over every 8-connected ground-truth region of every image, of the share of the region's pixels
/// scoring above t. The curve is swept exactly by sorting all pixels once (tied scores enter together); the area up to
/// the limit is integrated with the trapezoid rule, the last segment interpolated at the limit.
/// </remarks>
public static class Aupro
{
    public const double DefaultFprLimit = 0.3;

    /// <param name="maps">Per image: anomaly scores, row-major width×height.</param>
    /// <param name="masks">Per image: ground truth of the same size, nonzero = anomalous.</param>
    /// <param name="widths">Per image width (height follows from the length).</param>
    /// <returns>Normalised AUPRO in [0, 1]; NaN without any region or without any normal pixel.</returns>
    public static double Compute(IReadOnlyList<float[]> maps, IReadOnlyList<byte[]> masks, IReadOnlyList<int> widths, double fprLimit = DefaultFprLimit)
    {
        ArgumentNullException.ThrowIfNull(maps);
        ArgumentNullException.ThrowIfNull(masks);
        ArgumentNullException.ThrowIfNull(widths);
        if (maps.Count != masks.Count || maps.Count != widths.Count)
        {
            throw new ArgumentException("maps, masks and widths need one entry per image.");
        }

        if (fprLimit <= 0 || fprLimit > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(fprLimit), fprLimit, "The FPR limit must be in (0, 1].");
        }

        var total = maps.Sum(m => (long)m.Length);
        var scores = new float[total];
        // Per pixel: -1 normal, otherwise the global index of its region.
        var regionOf = new int[total];
        var regionSizes = new List<long>();
        long offset = 0;
        for (var i = 0; i < maps.Count; i++)
        {
            var map = maps[i];
            var mask = masks[i];
            if (mask.Length != map.Length || widths[i] <= 0 || map.Length % widths[i] != 0)
            {
                throw new ArgumentException($"Image {i}: map ({map.Length}) and mask ({mask.Length}) sizes differ or do not fit width {widths[i]}.");
            }

            var firstRegion = regionSizes.Count;
            var labels = LabelRegions(mask, widths[i], map.Length / widths[i], out var regionCount);
            for (var r = 0; r < regionCount; r++)
            {
                regionSizes.Add(0);
            }

            for (var p = 0; p < map.Length; p++)
            {
                scores[offset + p] = map[p];
                var label = labels[p];
                regionOf[offset + p] = label == 0 ? -1 : firstRegion + label - 1;
                if (label != 0)
                {
                    regionSizes[firstRegion + label - 1]++;
                }
            }

            offset += map.Length;
        }

        var regions = regionSizes.Count;
        var negatives = regionOf.LongCount(r => r < 0);
        if (regions == 0 || negatives == 0)
        {
            return double.NaN;
        }

        var order = new int[total];
        for (var p = 0; p < order.Length; p++)
        {
            order[p] = p;
        }

        // Descending scores: lowering the threshold admits pixels in this order.
        var keys = (float[])scores.Clone();
        for (var p = 0; p < keys.Length; p++)
        {
            keys[p] = -keys[p];
        }

        Array.Sort(keys, order);

        double area = 0, previousFpr = 0, previousPro = 0;
        long falsePositives = 0;
        double pro = 0;
        var start = 0;
        while (start < order.Length)
        {
            var end = start;
            while (end + 1 < order.Length && keys[end + 1] == keys[start])
            {
                end++;
            }

            for (var k = start; k <= end; k++)
            {
                var region = regionOf[order[k]];
                if (region < 0)
                {
                    falsePositives++;
                }
                else
                {
                    pro += 1.0 / (regionSizes[region] * (double)regions);
                }
            }

            var fpr = (double)falsePositives / negatives;
            if (fpr >= fprLimit)
            {
                // Interpolate the PRO at the limit on this segment and stop.
                var proAtLimit = fpr == previousFpr ? pro : previousPro + (pro - previousPro) * (fprLimit - previousFpr) / (fpr - previousFpr);
                area += (fprLimit - previousFpr) * (previousPro + proAtLimit) / 2;
                return area / fprLimit;
            }

            area += (fpr - previousFpr) * (previousPro + pro) / 2;
            previousFpr = fpr;
            previousPro = pro;
            start = end + 1;
        }

        return area / fprLimit; // not reached: every pixel admitted means FPR = 1 ≥ limit
    }

    /// <summary>8-connected labels of the nonzero mask pixels (0 = background, 1..count = regions).</summary>
    private static int[] LabelRegions(byte[] mask, int width, int height, out int count)
    {
        using var binary = Mat.FromPixelData(height, width, MatType.CV_8UC1, mask);
        using var labels = new Mat();
        count = Cv2.ConnectedComponents(binary, labels, PixelConnectivity.Connectivity8, MatType.CV_32S) - 1;
        var result = new int[mask.Length];
        labels.GetArray(out int[] values);
        values.CopyTo(result, 0);
        return result;
    }
}
