using AnomalyNcd.Core.Imaging;

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

        var (width, height) = (mask.Width, mask.Height);
        var kept = new byte[mask.Pixels.Length];
        var visited = new bool[mask.Pixels.Length];
        var region = new List<int>();
        var stack = new Stack<int>();
        for (var start = 0; start < kept.Length; start++)
        {
            if (mask.Pixels[start] == 0 || visited[start])
            {
                continue;
            }

            region.Clear();
            visited[start] = true;
            stack.Push(start);
            byte peak = 0;
            while (stack.Count > 0)
            {
                var p = stack.Pop();
                region.Add(p);
                peak = Math.Max(peak, map.Pixels[p]);
                var (x, y) = (p % width, p / width);
                for (var dy = -1; dy <= 1; dy++)
                {
                    for (var dx = -1; dx <= 1; dx++)
                    {
                        var (nx, ny) = (x + dx, y + dy);
                        if (nx < 0 || ny < 0 || nx >= width || ny >= height)
                        {
                            continue;
                        }

                        var n = (ny * width) + nx;
                        if (mask.Pixels[n] != 0 && !visited[n])
                        {
                            visited[n] = true;
                            stack.Push(n);
                        }
                    }
                }
            }

            var threshold = fraction * peak;
            foreach (var p in region)
            {
                if (map.Pixels[p] >= threshold)
                {
                    kept[p] = mask.Pixels[p];
                }
            }
        }

        return new GrayImage(width, height, kept);
    }
}
