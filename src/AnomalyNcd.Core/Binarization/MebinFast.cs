using AnomalyNcd.Core.Imaging;

namespace AnomalyNcd.Core.Binarization;

/// <summary>
/// MEBin with the same outputs as <see cref="MebinReference"/> at a fraction of the cost
/// (method-spec §14.2–14.3): the raw map is eroded once (erosion commutes with every threshold of a
/// nondecreasing map), every pixel is assigned the first sweep level at which it turns on, and one
/// union-find sweep over the levels yields all component counts, since the foreground only grows.
/// </summary>
public static class MebinFast
{
    private const byte Never = byte.MaxValue;

    [ThreadStatic]
    private static Workspace? _workspace;

    public static MebinResult Binarize(GrayImage map, MebinRange range, MebinOptions? options = null)
    {
        options ??= MebinOptions.Default;
        var thresholds = options.NormalizedThresholds();
        var levels = thresholds.Length; // at most 255, so level indices and Never fit in a byte
        var width = map.Width;
        var height = map.Height;
        var paddedWidth = width + 2;
        var ws = _workspace ??= new Workspace();
        ws.Ensure(width, height);

        var eroded = ws.Eroded.AsSpan(0, width * height);
        if (options.Erode)
        {
            MinFilter.Erode(map.Pixels, eroded, ws.Scratch, width, height, options.ErodeKernelSize);
        }
        else
        {
            map.Pixels.CopyTo(eroded);
        }

        var levelOfValue = LevelOfValue(range, thresholds);

        // Level per pixel on a grid with a one-pixel frame of Never, so neighbour reads need no bounds checks.
        var level = ws.Level;
        var bucketStart = ws.BucketStart;
        Array.Clear(bucketStart, 0, levels + 2);
        Array.Fill(level, Never, 0, paddedWidth);
        Array.Fill(level, Never, (height + 1) * paddedWidth, paddedWidth);
        for (var y = 0; y < height; y++)
        {
            var rowStart = (y + 1) * paddedWidth;
            level[rowStart] = Never;
            level[rowStart + width + 1] = Never;
            var source = y * width;
            for (var x = 0; x < width; x++)
            {
                var l = levelOfValue[eroded[source + x]];
                level[rowStart + x + 1] = l;
                if (l != Never)
                {
                    bucketStart[l + 1]++;
                }
            }
        }

        // counting sort of the foreground pixels by level
        for (var j = 0; j < levels; j++)
        {
            bucketStart[j + 1] += bucketStart[j];
        }

        var order = ws.Order;
        var next = ws.Next;
        Array.Copy(bucketStart, next, levels);
        for (var y = 0; y < height; y++)
        {
            var rowStart = ((y + 1) * paddedWidth) + 1;
            for (var x = 0; x < width; x++)
            {
                var l = level[rowStart + x];
                if (l != Never)
                {
                    order[next[l]++] = rowStart + x;
                }
            }
        }

        var counts = Sweep(level, order, bucketStart, ws.Parent, levels, paddedWidth);
        var choice = StableThresholdSelector.Select(counts, range, options);

        // erode(A > T) == (erode(A) > T) because x ↦ [x > T] is nondecreasing
        var mask = new GrayImage(width, height);
        var threshold = choice.Threshold;
        var maskPixels = mask.Pixels;
        for (var p = 0; p < maskPixels.Length; p++)
        {
            maskPixels[p] = eroded[p] > threshold ? (byte)255 : (byte)0;
        }

        return new MebinResult(counts, choice, mask);
    }

    /// <summary>For every raw value: the first sweep index whose threshold its normalised value exceeds, or Never.</summary>
    private static byte[] LevelOfValue(MebinRange range, int[] thresholds)
    {
        var normalized = range.NormalizationTable();
        var result = new byte[256];
        for (var a = 0; a < 256; a++)
        {
            result[a] = Never;
            for (var j = 0; j < thresholds.Length; j++)
            {
                if (normalized[a] > thresholds[j])
                {
                    result[a] = (byte)j;
                    break;
                }
            }
        }

        return result;
    }

    /// <summary>Adds the pixels level by level, merging 8-neighbours already present; returns the count after each level.</summary>
    private static int[] Sweep(byte[] level, int[] order, int[] bucketStart, int[] parent, int levels, int paddedWidth)
    {
        ReadOnlySpan<int> offsets =
        [
            -paddedWidth - 1, -paddedWidth, -paddedWidth + 1, -1, 1, paddedWidth - 1, paddedWidth, paddedWidth + 1,
        ];
        var counts = new int[levels];
        var components = 0;
        for (var j = 0; j < levels; j++)
        {
            var begin = bucketStart[j];
            var end = bucketStart[j + 1];
            for (var i = begin; i < end; i++)
            {
                parent[order[i]] = order[i];
            }

            components += end - begin;
            for (var i = begin; i < end; i++)
            {
                var p = order[i];
                foreach (var offset in offsets)
                {
                    var q = p + offset;
                    var lq = level[q];

                    // a neighbour from an earlier level, or one of this level visited once (q < p) per pair
                    if (lq < j || (lq == j && q < p))
                    {
                        if (Union(parent, p, q))
                        {
                            components--;
                        }
                    }
                }
            }

            counts[j] = components;
        }

        return counts;
    }

    private static bool Union(int[] parent, int a, int b)
    {
        var ra = Find(parent, a);
        var rb = Find(parent, b);
        if (ra == rb)
        {
            return false;
        }

        // the smaller index becomes the root: deterministic and keeps older (raster-earlier) roots
        if (ra < rb)
        {
            parent[rb] = ra;
        }
        else
        {
            parent[ra] = rb;
        }

        return true;
    }

    private static int Find(int[] parent, int x)
    {
        while (parent[x] != x)
        {
            parent[x] = parent[parent[x]]; // path halving
            x = parent[x];
        }

        return x;
    }

    /// <summary>Per-thread buffers reused across maps; they only grow.</summary>
    private sealed class Workspace
    {
        public byte[] Eroded { get; private set; } = [];

        public byte[] Scratch { get; private set; } = [];

        public byte[] Level { get; private set; } = [];

        public int[] Parent { get; private set; } = [];

        public int[] Order { get; private set; } = [];

        public int[] BucketStart { get; } = new int[258];

        public int[] Next { get; } = new int[258];

        public void Ensure(int width, int height)
        {
            var pixels = checked(width * height);
            var padded = checked((width + 2) * (height + 2));
            if (Eroded.Length < pixels)
            {
                Eroded = new byte[pixels];
                Scratch = new byte[pixels];
                Order = new int[pixels];
            }

            if (Level.Length < padded)
            {
                Level = new byte[padded];
                Parent = new int[padded];
            }
        }
    }
}
