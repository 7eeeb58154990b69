using AnomalyNcd.Core.Imaging;

namespace AnomalyNcd.Core.Binarization;

/// <summary>
/// Regions from persistent peaks (<see cref="RegionRule.PersistentPeaks"/>): where MEBin cuts a whole map at one
/// threshold, here every peak of the eroded map that rises far enough above the saddle joining it to a higher peak
/// (0-dimensional persistence of the superlevel sets, elder rule) is cut at its own height: halfway between its peak
/// and that saddle, and above every level at which it touches another selected peak, so the regions never share a
/// pixel. Several defects of different strength in one image then each get a region. One union-find pass over the
/// pixels in falling order (ties by raster order) finds every peak's persistence; <see cref="PeakRegionsReference"/>
/// computes the same by labelling every level.
/// </summary>
public static class PeakRegions
{
    /// <summary>
    /// The map's regions; the choice holds the region count and the lowest cut. <see cref="MebinResult.Counts"/> is
    /// empty: this rule sweeps no thresholds, and MEBin's counts would describe a cut it does not make.
    /// </summary>
    public static MebinResult Binarize(GrayImage map, MebinRange range, MebinOptions mebin, PeakRegionOptions peaks)
    {
        var eroded = Eroded(map, mebin);
        var (death, events) = Persistence(eroded, map.Width, map.Height, range.MinTh);
        var selected = Select(eroded, death, range, peaks);
        var floors = CutFloors(selected, events);
        var mask = new GrayImage(map.Width, map.Height);
        var lowestCut = 255;
        foreach (var peak in selected)
        {
            var cut = Cut(eroded[peak], death[peak], floors.GetValueOrDefault(peak), range.MinTh, peaks.CutFraction);
            lowestCut = Math.Min(lowestCut, cut);
            Fill(eroded, map.Width, map.Height, peak, (byte)cut, mask.Pixels);
        }

        var choice = selected.Count == 0 ? MebinThreshold.NoAnomaly : new MebinThreshold(lowestCut, null, null, selected.Count);
        return new MebinResult([], choice, mask);
    }

    /// <summary>The map eroded as MEBin erodes it (thresholding the eroded map equals eroding the thresholded one).</summary>
    internal static byte[] Eroded(GrayImage map, MebinOptions mebin)
    {
        var eroded = new byte[map.Pixels.Length];
        if (mebin.Erode)
        {
            MinFilter.Erode(map.Pixels, eroded, new byte[map.Pixels.Length], map.Width, map.Height, mebin.ErodeKernelSize);
        }
        else
        {
            map.Pixels.CopyTo(eroded, 0);
        }

        return eroded;
    }

    /// <summary>
    /// A peak's cut: the <paramref name="fraction"/> (halfway by default) from its saddle (or the floor) up to its peak,
    /// rounded up, raised above the levels where it meets another selected peak, and never at or below the floor.
    /// </summary>
    internal static int Cut(byte peak, int death, int floor, byte minTh, double fraction) =>
        Math.Min(peak, Math.Max(Math.Max(death + (int)Math.Ceiling((peak - death) * fraction), floor), minTh + 1));

    /// <summary>Peaks that pass the rules (persistence, prominence, lowest peak level), in falling order of height (ties by raster order).</summary>
    internal static List<int> Select(byte[] eroded, int[] death, MebinRange range, PeakRegionOptions peaks)
    {
        var selected = new List<int>();
        var span = range.MaxTh - range.MinTh;
        if (span <= 0)
        {
            return selected;
        }

        for (var i = 0; i < eroded.Length; i++)
        {
            if (death[i] < 0)
            {
                continue;
            }

            var persistence = eroded[i] - death[i];
            var height = eroded[i] - range.MinTh;
            if (persistence > 0 && persistence * 255.0 / span >= peaks.MinPersistence && persistence >= peaks.MinProminence * height && eroded[i] >= peaks.MinPeakLevel)
            {
                selected.Add(i);
            }
        }

        selected.Sort((a, b) => eroded[a] != eroded[b] ? eroded[b].CompareTo(eroded[a]) : a.CompareTo(b));
        return selected;
    }

    /// <summary>
    /// Every pixel's death level as a peak (−1: never a peak; the floor for peaks that never meet a higher one) and
    /// the merges of non-trivial peaks, highest first: (elder peak, younger peak, level).
    /// </summary>
    internal static (int[] Death, List<(int Elder, int Younger, int Level)> Events) Persistence(byte[] eroded, int width, int height, byte minTh)
    {
        var n = eroded.Length;
        var order = FallingOrder(eroded, minTh);
        var rank = new int[n];
        for (var r = 0; r < order.Length; r++)
        {
            rank[order[r]] = r;
        }

        var parent = new int[n];
        Array.Fill(parent, -1);
        var peakOf = new int[n];
        var death = new int[n];
        Array.Fill(death, -1);
        var events = new List<(int, int, int)>();
        foreach (var p in order)
        {
            parent[p] = p;
            peakOf[p] = p;
            death[p] = minTh; // until it meets a higher peak
            int x = p % width, y = p / width;
            for (var dy = -1; dy <= 1; dy++)
            {
                for (var dx = -1; dx <= 1; dx++)
                {
                    int nx = x + dx, ny = y + dy;
                    if ((dx == 0 && dy == 0) || nx < 0 || ny < 0 || nx >= width || ny >= height || parent[(ny * width) + nx] < 0)
                    {
                        continue;
                    }

                    int a = Find(parent, p), b = Find(parent, (ny * width) + nx);
                    if (a == b)
                    {
                        continue;
                    }

                    var (elder, younger) = rank[peakOf[a]] < rank[peakOf[b]] ? (a, b) : (b, a);
                    var youngPeak = peakOf[younger];
                    death[youngPeak] = eroded[p];
                    if (eroded[youngPeak] > eroded[p])
                    {
                        events.Add((peakOf[elder], youngPeak, eroded[p]));
                    }

                    parent[younger] = elder;
                }
            }
        }

        return (death, events);
    }

    /// <summary>
    /// Per selected peak, the lowest cut that keeps it apart from every other selected peak: one above the highest
    /// level at which their components meet. The merges are replayed tracking which selected peaks each component
    /// holds; a merge's elder and younger are always the peaks of live components, so they name the components.
    /// </summary>
    internal static Dictionary<int, int> CutFloors(List<int> selected, List<(int Elder, int Younger, int Level)> events)
    {
        var floors = new Dictionary<int, int>();
        if (selected.Count < 2)
        {
            return floors;
        }

        var holds = selected.ToDictionary(s => s, s => new List<int> { s });
        foreach (var (elder, younger, level) in events)
        {
            if (!holds.Remove(younger, out var inYounger))
            {
                continue;
            }

            if (holds.TryGetValue(elder, out var inElder))
            {
                foreach (var s in inElder.Concat(inYounger))
                {
                    floors[s] = Math.Max(floors.GetValueOrDefault(s), level + 1);
                }

                inElder.AddRange(inYounger);
            }
            else
            {
                holds[elder] = inYounger;
            }
        }

        return floors;
    }

    /// <summary>Sets to 255 the 8-connected pixels at or above <paramref name="cut"/> that reach <paramref name="seed"/>.</summary>
    internal static void Fill(byte[] eroded, int width, int height, int seed, byte cut, byte[] mask)
    {
        var stack = new Stack<int>();
        mask[seed] = 255;
        stack.Push(seed);
        while (stack.Count > 0)
        {
            var p = stack.Pop();
            int x = p % width, y = p / width;
            for (var dy = -1; dy <= 1; dy++)
            {
                for (var dx = -1; dx <= 1; dx++)
                {
                    int nx = x + dx, ny = y + dy;
                    var q = (ny * width) + nx;
                    if (nx >= 0 && ny >= 0 && nx < width && ny < height && mask[q] == 0 && eroded[q] >= cut)
                    {
                        mask[q] = 255;
                        stack.Push(q);
                    }
                }
            }
        }
    }

    /// <summary>Pixels above the floor by falling value, raster order within a value (a counting sort).</summary>
    private static int[] FallingOrder(byte[] eroded, byte minTh)
    {
        var count = new int[257];
        foreach (var v in eroded)
        {
            if (v > minTh)
            {
                count[255 - v + 1]++;
            }
        }

        for (var i = 0; i < 256; i++)
        {
            count[i + 1] += count[i];
        }

        var order = new int[count[256]];
        for (var i = 0; i < eroded.Length; i++)
        {
            if (eroded[i] > minTh)
            {
                order[count[255 - eroded[i]]++] = i;
            }
        }

        return order;
    }

    private static int Find(int[] parent, int p)
    {
        while (parent[p] != p)
        {
            parent[p] = parent[parent[p]];
            p = parent[p];
        }

        return p;
    }
}
