using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace AnomalyNcd.Core.Detection;

/// <summary>
/// The shortlist's ranking and candidate selection in one register-blocked pass (AVX-512): eight queries against 32
/// bank vectors at a time, the 16 running sums held in registers while the reduced dimensions stream past, then one
/// comparison per query with its current threshold decides whether any of the 32 values enters its shortlist. The
/// ranking matrix is never written out, so the separate product and the selection scan over it (the two largest
/// costs of <see cref="NearestNeighbourMode.Shortlist"/>) become one pass over a 1.5 MB bank that stays in cache.
/// </summary>
/// <remarks>
/// Ranks by ‖b‖²/2 − q·b over the reduced vectors, exactly the order of the matrix-product version, so both select
/// the same candidates up to float rounding of near ties. Bank blocks are scanned from the end: the greedy coreset
/// stores the dense (near) vectors last, so the thresholds drop after the first blocks and insertions become rare.
/// Thread-safe: all per-call state is local.
/// </remarks>
internal sealed class BlockedShortlistRanker
{
    public const int QueryBlock = 8;
    private const int BankBlock = 32;

    private readonly int reducedDimension;
    private readonly int count;
    private readonly int blocks;
    private readonly float[] blockedBank; // [block][dimension][32]
    private readonly float[] halfNorms;   // blocks·32, padding float.MaxValue so it is never selected

    public BlockedShortlistRanker(ReadOnlySpan<float> reducedBank, int count, int reducedDimension)
    {
        this.count = count;
        this.reducedDimension = reducedDimension;
        blocks = (count + BankBlock - 1) / BankBlock;
        blockedBank = new float[blocks * reducedDimension * BankBlock];
        halfNorms = new float[blocks * BankBlock];
        Array.Fill(halfNorms, float.MaxValue);
        for (var row = 0; row < count; row++)
        {
            var block = row / BankBlock;
            var lane = row % BankBlock;
            var norm = 0f;
            for (var d = 0; d < reducedDimension; d++)
            {
                var value = reducedBank[row * reducedDimension + d];
                blockedBank[(block * reducedDimension + d) * BankBlock + lane] = value;
                norm += value * value;
            }

            halfNorms[row] = norm / 2;
        }
    }

    /// <summary>Whether this machine runs the kernel (AVX-512); otherwise callers use the matrix-product path.</summary>
    public static bool IsSupported => Vector512.IsHardwareAccelerated;

    /// <summary>
    /// For up to <see cref="QueryBlock"/> reduced queries (row-major, <c>queryCount × reducedDimension</c>), the indices of
    /// each one's <c>k</c> smallest ranking values (<paramref name="candidates"/>: <c>QueryBlock × k</c>, in no order).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Select(ReadOnlySpan<float> reducedQueries, int queryCount, int k, Span<int> candidates)
    {
        var dimension = reducedDimension;
        // Negated queries, zero rows for missing ones: the kernel accumulates ‖b‖²/2 + Σ (−q)·b with FMAs.
        Span<float> negated = stackalloc float[QueryBlock * dimension];
        negated.Clear();
        for (var i = 0; i < queryCount * dimension; i++)
        {
            negated[i] = -reducedQueries[i];
        }

        // Per query an append-only buffer of values below its threshold; when full, a selection keeps the k smallest
        // and the k-th becomes the new threshold (cheaper than keeping an exact top-k on every insertion).
        var capacity = BufferCapacity(k);
        Span<float> kept = stackalloc float[QueryBlock * capacity];
        Span<int> keptIndex = stackalloc int[QueryBlock * capacity];
        Span<int> filled = stackalloc int[QueryBlock];
        filled.Clear();
        Span<float> thresholds = stackalloc float[QueryBlock];
        thresholds.Fill(float.MaxValue);
        Span<float> sums = stackalloc float[QueryBlock * BankBlock];
        ref var sum = ref MemoryMarshal.GetReference(sums);

        ref var q = ref MemoryMarshal.GetReference(negated);
        ref var bankStart = ref MemoryMarshal.GetArrayDataReference(blockedBank);
        ref var normStart = ref MemoryMarshal.GetArrayDataReference(halfNorms);
        for (var block = blocks - 1; block >= 0; block--)
        {
            ref var b = ref Unsafe.Add(ref bankStart, block * dimension * BankBlock);
            var h0 = Vector512.LoadUnsafe(ref normStart, (nuint)(block * BankBlock));
            var h1 = Vector512.LoadUnsafe(ref normStart, (nuint)(block * BankBlock + 16));
            Vector512<float> a00 = h0, a01 = h1, a10 = h0, a11 = h1, a20 = h0, a21 = h1, a30 = h0, a31 = h1;
            Vector512<float> a40 = h0, a41 = h1, a50 = h0, a51 = h1, a60 = h0, a61 = h1, a70 = h0, a71 = h1;
            for (var d = 0; d < dimension; d++)
            {
                var b0 = Vector512.LoadUnsafe(ref b, (nuint)(d * BankBlock));
                var b1 = Vector512.LoadUnsafe(ref b, (nuint)(d * BankBlock + 16));
                var x = Vector512.Create(Unsafe.Add(ref q, d));
                a00 = Vector512.FusedMultiplyAdd(x, b0, a00);
                a01 = Vector512.FusedMultiplyAdd(x, b1, a01);
                x = Vector512.Create(Unsafe.Add(ref q, dimension + d));
                a10 = Vector512.FusedMultiplyAdd(x, b0, a10);
                a11 = Vector512.FusedMultiplyAdd(x, b1, a11);
                x = Vector512.Create(Unsafe.Add(ref q, 2 * dimension + d));
                a20 = Vector512.FusedMultiplyAdd(x, b0, a20);
                a21 = Vector512.FusedMultiplyAdd(x, b1, a21);
                x = Vector512.Create(Unsafe.Add(ref q, 3 * dimension + d));
                a30 = Vector512.FusedMultiplyAdd(x, b0, a30);
                a31 = Vector512.FusedMultiplyAdd(x, b1, a31);
                x = Vector512.Create(Unsafe.Add(ref q, 4 * dimension + d));
                a40 = Vector512.FusedMultiplyAdd(x, b0, a40);
                a41 = Vector512.FusedMultiplyAdd(x, b1, a41);
                x = Vector512.Create(Unsafe.Add(ref q, 5 * dimension + d));
                a50 = Vector512.FusedMultiplyAdd(x, b0, a50);
                a51 = Vector512.FusedMultiplyAdd(x, b1, a51);
                x = Vector512.Create(Unsafe.Add(ref q, 6 * dimension + d));
                a60 = Vector512.FusedMultiplyAdd(x, b0, a60);
                a61 = Vector512.FusedMultiplyAdd(x, b1, a61);
                x = Vector512.Create(Unsafe.Add(ref q, 7 * dimension + d));
                a70 = Vector512.FusedMultiplyAdd(x, b0, a70);
                a71 = Vector512.FusedMultiplyAdd(x, b1, a71);
            }

            // Stored before any comparison: a sum still in a register across the (rare) insertion call would be
            // spilled inside the product loop by the register allocator, which made the loop several times slower.
            a00.StoreUnsafe(ref sum, 0);
            a01.StoreUnsafe(ref sum, 16);
            a10.StoreUnsafe(ref sum, 32);
            a11.StoreUnsafe(ref sum, 48);
            a20.StoreUnsafe(ref sum, 64);
            a21.StoreUnsafe(ref sum, 80);
            a30.StoreUnsafe(ref sum, 96);
            a31.StoreUnsafe(ref sum, 112);
            a40.StoreUnsafe(ref sum, 128);
            a41.StoreUnsafe(ref sum, 144);
            a50.StoreUnsafe(ref sum, 160);
            a51.StoreUnsafe(ref sum, 176);
            a60.StoreUnsafe(ref sum, 192);
            a61.StoreUnsafe(ref sum, 208);
            a70.StoreUnsafe(ref sum, 224);
            a71.StoreUnsafe(ref sum, 240);
            var first = block * BankBlock;
            for (var i = 0; i < QueryBlock; i++)
            {
                var low = Vector512.LoadUnsafe(ref sum, (nuint)(i * BankBlock));
                var high = Vector512.LoadUnsafe(ref sum, (nuint)(i * BankBlock + 16));
                var limit = Vector512.Create(thresholds[i]);
                var mask = Vector512.LessThan(low, limit).ExtractMostSignificantBits() | (Vector512.LessThan(high, limit).ExtractMostSignificantBits() << 16);
                if (mask != 0)
                {
                    Append(sums.Slice(i * BankBlock, BankBlock), mask, first, k, kept.Slice(i * capacity, capacity), keptIndex.Slice(i * capacity, capacity), ref filled[i], ref thresholds[i]);
                }
            }
        }

        for (var i = 0; i < QueryBlock; i++)
        {
            var values = kept.Slice(i * capacity, filled[i]);
            var indices = keptIndex.Slice(i * capacity, filled[i]);
            if (values.Length > k)
            {
                SelectSmallestInPlace(values, indices, k);
            }

            // Fewer than k only for the zero rows of missing queries, whose candidates are not read.
            var row = candidates.Slice(i * k, k);
            row.Clear();
            indices[..Math.Min(k, indices.Length)].CopyTo(row);
        }
    }

    /// <summary>Buffer length per query: k kept plus room for several insertions between selections.</summary>
    internal static int BufferCapacity(int k) => 4 * k + BankBlock;

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Append(ReadOnlySpan<float> lanes, ulong mask, int first, int k, Span<float> values, Span<int> indices, ref int filled, ref float threshold)
    {
        if (filled + BankBlock > values.Length)
        {
            SelectSmallestInPlace(values[..filled], indices[..filled], k);
            filled = k;
            threshold = Max(values[..k]);
        }

        var limit = threshold;
        while (mask != 0)
        {
            var lane = BitOperations.TrailingZeroCount(mask);
            mask &= mask - 1;
            if (lanes[lane] < limit)
            {
                values[filled] = lanes[lane];
                indices[filled++] = first + lane;
            }
        }
    }

    private static float Max(ReadOnlySpan<float> values)
    {
        var max = values[0];
        foreach (var v in values)
        {
            max = Math.Max(max, v);
        }

        return max;
    }

    /// <summary>Reorders so the first <paramref name="k"/> entries are the k smallest values (Hoare quickselect).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void SelectSmallestInPlace(Span<float> values, Span<int> indices, int k)
    {
        var low = 0;
        var high = values.Length - 1;
        while (low < high)
        {
            var pivot = values[low + (high - low) / 2];
            var i = low;
            var j = high;
            while (i <= j)
            {
                while (values[i] < pivot)
                {
                    i++;
                }

                while (values[j] > pivot)
                {
                    j--;
                }

                if (i <= j)
                {
                    (values[i], values[j]) = (values[j], values[i]);
                    (indices[i], indices[j]) = (indices[j], indices[i]);
                    i++;
                    j--;
                }
            }

            // [low, j] ≤ pivot ≤ [i, high]; continue in the part holding position k − 1.
            if (k - 1 <= j)
            {
                high = j;
            }
            else if (k - 1 >= i)
            {
                low = i;
            }
            else
            {
                return;
            }
        }
    }

    /// <summary>Bank vectors this ranker was built over.</summary>
    public int Count => count;
}
