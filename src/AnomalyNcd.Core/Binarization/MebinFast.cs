using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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

    /// <summary>Larger maps get buffers that are not kept per thread (about 11 bytes per pixel).</summary>
    private const int CachedWorkspacePixels = 4 * 1024 * 1024;

    [ThreadStatic]
    private static Workspace? _workspace;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: skip tier-0 code
    public static MebinResult Binarize(GrayImage map, MebinRange range, MebinOptions? options = null)
    {
        options ??= MebinOptions.Default;
        var thresholds = options.NormalizedThresholds();
        var levels = thresholds.Length; // at most 255, so level indices and Never fit in a byte
        var width = map.Width;
        var height = map.Height;
        var paddedWidth = width + 2;
        var ws = (long)width * height > CachedWorkspacePixels ? new Workspace() : (_workspace ??= new Workspace());
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
        ThresholdInto(eroded, mask.Pixels, (byte)Math.Clamp(choice.Threshold, 0, 255));
        return new MebinResult(counts, choice, mask);
    }

    /// <summary>destination = 255 where source &gt; threshold, else 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: skip tier-0 code
    private static void ThresholdInto(ReadOnlySpan<byte> source, Span<byte> destination, byte threshold)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var limit = new Vector<byte>(threshold);
            var lanes = Vector<byte>.Count;
            for (; i <= source.Length - lanes; i += lanes)
            {
                // unsigned byte comparison yields 0xFF lanes where true: exactly the mask value
                Vector.GreaterThan(new Vector<byte>(source[i..]), limit).CopyTo(destination[i..]);
            }
        }

        for (; i < source.Length; i++)
        {
            destination[i] = source[i] > threshold ? (byte)255 : (byte)0;
        }
    }

    /// <summary>For every raw value: the first sweep index whose threshold its normalised value exceeds, or Never.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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

    /// <summary>
    /// Adds the pixels level by level (raster order within a level), joining each to the 8-neighbours
    /// already added; returns the component count after each level. Invariant: any two adjacent added
    /// pixels are in one set, so a neighbour adjacent to another present neighbour needs no union of its own.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: skip tier-0 code
    private static int[] Sweep(byte[] level, int[] order, int[] bucketStart, int[] parent, int levels, int paddedWidth)
    {
        // Every index below is a pixel of the padded grid or one of its 8 neighbours (the frame is Never, never
        // added), so all lie inside the arrays: refs without bounds checks, the sweep's main cost before.
        ref var lv = ref MemoryMarshal.GetArrayDataReference(level);
        ref var up = ref MemoryMarshal.GetArrayDataReference(parent);
        var counts = new int[levels];
        var components = 0;
        for (var j = 0; j < levels; j++)
        {
            var begin = bucketStart[j];
            var end = bucketStart[j + 1];
            components += end - begin;
            for (var i = begin; i < end; i++)
            {
                var p = order[i];
                Unsafe.Add(ref up, p) = p;

                // Raster-earlier neighbours of this level are already added, raster-later ones are not.
                var north = Unsafe.Add(ref lv, p - paddedWidth) <= j;
                var west = Unsafe.Add(ref lv, p - 1) <= j;
                var east = Unsafe.Add(ref lv, p + 1) < j;
                var south = Unsafe.Add(ref lv, p + paddedWidth) < j;
                var root = p;

                // One union per run of present orthogonal neighbours in the cycle N–E–S–W (each adjacent to the next).
                if (north && east && south && west)
                {
                    root = Join(ref up, root, p - paddedWidth, ref components);
                }
                else
                {
                    if (north && !west)
                    {
                        root = Join(ref up, root, p - paddedWidth, ref components);
                    }

                    if (east && !north)
                    {
                        root = Join(ref up, root, p + 1, ref components);
                    }

                    if (south && !east)
                    {
                        root = Join(ref up, root, p + paddedWidth, ref components);
                    }

                    if (west && !south)
                    {
                        root = Join(ref up, root, p - 1, ref components);
                    }
                }

                // A diagonal neighbour counts only when neither orthogonal beside it is present.
                if (!north && !west && Unsafe.Add(ref lv, p - paddedWidth - 1) <= j)
                {
                    root = Join(ref up, root, p - paddedWidth - 1, ref components);
                }

                if (!north && !east && Unsafe.Add(ref lv, p - paddedWidth + 1) <= j)
                {
                    root = Join(ref up, root, p - paddedWidth + 1, ref components);
                }

                if (!south && !west && Unsafe.Add(ref lv, p + paddedWidth - 1) < j)
                {
                    root = Join(ref up, root, p + paddedWidth - 1, ref components);
                }

                if (!south && !east && Unsafe.Add(ref lv, p + paddedWidth + 1) < j)
                {
                    Join(ref up, root, p + paddedWidth + 1, ref components);
                }
            }

            counts[j] = components;
        }

        return counts;
    }

    /// <summary>Unites the set rooted at <paramref name="root"/> with the set of <paramref name="other"/>; returns the new root.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Join(ref int parent, int root, int other, ref int components)
    {
        var otherRoot = Find(ref parent, other);
        if (otherRoot == root)
        {
            return root;
        }

        components--;

        // the smaller index becomes the root: deterministic, and older (raster-earlier) roots stay put
        if (otherRoot < root)
        {
            Unsafe.Add(ref parent, root) = otherRoot;
            return otherRoot;
        }

        Unsafe.Add(ref parent, otherRoot) = root;
        return root;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Find(ref int parent, int x)
    {
        int up;
        while ((up = Unsafe.Add(ref parent, x)) != x)
        {
            var grand = Unsafe.Add(ref parent, up);
            Unsafe.Add(ref parent, x) = grand; // path halving
            x = grand;
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
