using AnomalyNcd.Core.Imaging;

namespace AnomalyNcd.Core.Binarization;

/// <summary>
/// <see cref="PeakRegions"/> the slow, obvious way, to test it against: the superlevel set of every level is labelled
/// on its own; a pixel is a peak while it is the highest pixel of its component (ties: raster order), it dies at the
/// highest level where it is not, and two selected peaks meet at the highest level where they share a component.
/// About 256 labellings per map: for tests on small maps only.
/// </summary>
public static class PeakRegionsReference
{
    public static MebinResult Binarize(GrayImage map, MebinRange range, MebinOptions mebin, PeakRegionOptions peaks)
    {
        var (width, height) = (map.Width, map.Height);
        var eroded = PeakRegions.Eroded(map, mebin);
        var n = eroded.Length;
        var death = new int[n];
        Array.Fill(death, -1);
        var labels = new Dictionary<int, int[]>();
        var leaders = new Dictionary<int, int[]>();
        for (var level = 255; level > range.MinTh; level--)
        {
            var (label, leader) = Label(eroded, width, height, (byte)level);
            labels[level] = label;
            leaders[level] = leader;
        }

        for (var p = 0; p < n; p++)
        {
            if (eroded[p] <= range.MinTh)
            {
                continue;
            }

            death[p] = range.MinTh;
            for (var level = (int)eroded[p]; level > range.MinTh; level--)
            {
                if (leaders[level][labels[level][p]] != p)
                {
                    death[p] = level;
                    break;
                }
            }
        }

        var selected = PeakRegions.Select(eroded, death, range, peaks);
        var mask = new GrayImage(width, height);
        var lowestCut = 255;
        foreach (var s in selected)
        {
            var floor = 0;
            foreach (var other in selected)
            {
                for (var level = Math.Min(eroded[s], eroded[other]); other != s && level > range.MinTh; level--)
                {
                    if (labels[level][s] == labels[level][other])
                    {
                        floor = Math.Max(floor, level + 1);
                        break;
                    }
                }
            }

            var cut = PeakRegions.Cut(eroded[s], death[s], floor, range.MinTh, peaks.CutFraction);
            lowestCut = Math.Min(lowestCut, cut);
            var (label, _) = Label(eroded, width, height, (byte)cut);
            for (var p = 0; p < n; p++)
            {
                if (label[p] >= 0 && label[p] == label[s])
                {
                    mask.Pixels[p] = 255;
                }
            }
        }

        var choice = selected.Count == 0 ? MebinThreshold.NoAnomaly : new MebinThreshold(lowestCut, null, null, selected.Count);
        return new MebinResult([], choice, mask);
    }

    /// <summary>8-connected components of the pixels ≥ <paramref name="level"/> (−1 elsewhere) and each one's highest pixel.</summary>
    private static (int[] Label, int[] Leader) Label(byte[] eroded, int width, int height, byte level)
    {
        var label = new int[eroded.Length];
        Array.Fill(label, -1);
        var leader = new List<int>();
        for (var start = 0; start < eroded.Length; start++)
        {
            if (eroded[start] < level || label[start] >= 0)
            {
                continue;
            }

            var id = leader.Count;
            var best = start;
            var queue = new Queue<int>([start]);
            label[start] = id;
            while (queue.TryDequeue(out var p))
            {
                if (eroded[p] > eroded[best] || (eroded[p] == eroded[best] && p < best))
                {
                    best = p;
                }

                for (var dy = -1; dy <= 1; dy++)
                {
                    for (var dx = -1; dx <= 1; dx++)
                    {
                        int x = (p % width) + dx, y = (p / width) + dy;
                        if (x >= 0 && y >= 0 && x < width && y < height && label[(y * width) + x] < 0 && eroded[(y * width) + x] >= level)
                        {
                            label[(y * width) + x] = id;
                            queue.Enqueue((y * width) + x);
                        }
                    }
                }
            }

            leader.Add(best);
        }

        return (label, [.. leader]);
    }
}
