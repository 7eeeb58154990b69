using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using static TorchSharp.torch;

namespace AnomalyNcd.Core.Detection;

/// <summary>
/// The candidates of <see cref="ShortlistSearch"/> without the TorchSharp product: the queries are reduced in managed
/// AVX-512 code and <see cref="BlockedShortlistRanker"/> ranks and selects in one register-blocked pass, then the same
/// full-dimension refinement. The default search; needs AVX-512 (<see cref="BlockedShortlistRanker.IsSupported"/>).
/// </summary>
internal sealed class BlockedShortlistSearch : INearestNeighbourSearch
{
    private readonly float[] bankVectors;
    private readonly BankProjection projection;
    private readonly BlockedShortlistRanker ranker;
    private readonly float[] meanVector;            // [Dimension]
    private readonly float[] paddedAxesByDimension; // [Dimension][PaddedAxes]: the axes' coordinates, a row per input dimension

    public BlockedShortlistSearch(float[] bankVectors, int dimension, int shortlistSize, int reducedDimension)
    {
        if (!BlockedShortlistRanker.IsSupported)
        {
            throw new PlatformNotSupportedException("the blocked shortlist search needs AVX-512; use the shortlist search");
        }

        Count = NearestNeighbourSearch.BankRows(bankVectors, dimension);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(shortlistSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(reducedDimension);
        Dimension = dimension;
        ShortlistSize = Math.Min(shortlistSize, Count);
        ReducedDimension = Math.Min(reducedDimension, dimension);
        this.bankVectors = bankVectors;
        projection = BankProjection.Fit(bankVectors, dimension, ReducedDimension, out var reduced);
        using (reduced)
        {
            ranker = new BlockedShortlistRanker(MemoryMarshal.Cast<byte, float>(reduced.bytes), Count, ReducedDimension + 1);
        }

        meanVector = projection.MeanVector();
        var axesByDimension = projection.AxesByDimension();
        var padded = PaddedAxes(ReducedDimension);
        paddedAxesByDimension = new float[dimension * padded];
        for (var d = 0; d < dimension; d++)
        {
            axesByDimension.Slice(d * ReducedDimension, ReducedDimension).CopyTo(paddedAxesByDimension.AsSpan(d * padded));
        }
    }

    public int Dimension { get; }

    public int Count { get; }

    public NearestNeighbourMode Mode => NearestNeighbourMode.BlockedShortlist;

    /// <summary>Candidates per query measured at full dimension.</summary>
    public int ShortlistSize { get; }

    /// <summary>Principal axes of the reduction.</summary>
    public int ReducedDimension { get; }

    public float[] Distances(float[] queries, int threads = 1)
    {
        // No TorchSharp on this path: the tensors, their copies of the queries and their allocations per call cost
        // more than the reduction itself.
        ArgumentNullException.ThrowIfNull(queries);
        var rows = queries.Length / Dimension;
        var result = new float[rows];
        var width = ReducedDimension + 1;
        var reduced = ArrayPool<float>.Shared.Rent(rows * width);
        try
        {
            ReduceQueries(queries, rows, reduced.AsSpan(0, rows * width));
            var queryBlocks = (rows + BlockedShortlistRanker.QueryBlock - 1) / BlockedShortlistRanker.QueryBlock;

            [MethodImpl(MethodImplOptions.AggressiveOptimization)]
            void Range(int fromBlock, int toBlock)
            {
                Span<int> candidates = stackalloc int[BlockedShortlistRanker.QueryBlock * ShortlistSize];
                for (var block = fromBlock; block < toBlock; block++)
                {
                    var start = block * BlockedShortlistRanker.QueryBlock;
                    var length = Math.Min(BlockedShortlistRanker.QueryBlock, rows - start);
                    ranker.Select(reduced.AsSpan(start * width, length * width), length, ShortlistSize, candidates);
                    for (var i = 0; i < length; i++)
                    {
                        var query = queries.AsSpan((start + i) * Dimension, Dimension);
                        result[start + i] = CandidateRefinement.Nearest(query, bankVectors, candidates.Slice(i * ShortlistSize, ShortlistSize));
                    }
                }
            }

            var parts = Math.Clamp(Math.Min(threads, queryBlocks / 16), 1, Environment.ProcessorCount);
            if (parts == 1)
            {
                Range(0, queryBlocks);
            }
            else
            {
                Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, p => Range(queryBlocks * p / parts, queryBlocks * (p + 1) / parts));
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(reduced);
        }

        return result;
    }

    public void Dispose() => projection.Dispose();

    /// <summary>
    /// The reduction of <see cref="BankProjection.Reduce(Tensor)"/> for query rows, in managed AVX-512 code: coordinates
    /// on the axes of the centred query, then the residual length √(‖c‖² − ‖projection‖²) (clamped at 0) as the last
    /// coordinate. Four queries share each load of the axes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void ReduceQueries(ReadOnlySpan<float> queries, int rows, Span<float> reduced)
    {
        const int Lanes = 16;
        const int Group = 4;
        var dimension = Dimension;
        var axisCount = ReducedDimension;
        var width = axisCount + 1;
        var padded = PaddedAxes(axisCount);
        var centre = meanVector;
        Span<float> centred = stackalloc float[Group * dimension];
        Span<float> norms = stackalloc float[Group];
        Span<float> projected = stackalloc float[Group * padded];
        ref var axes = ref MemoryMarshal.GetArrayDataReference(paddedAxesByDimension);
        ref var c = ref MemoryMarshal.GetReference(centred);
        ref var p = ref MemoryMarshal.GetReference(projected);
        for (var first = 0; first < rows; first += Group)
        {
            var count = Math.Min(Group, rows - first);
            centred.Clear();
            for (var i = 0; i < count; i++)
            {
                var query = queries.Slice((first + i) * dimension, dimension);
                var target = centred.Slice(i * dimension, dimension);
                var norm = 0f;
                for (var d = 0; d < dimension; d++)
                {
                    var value = query[d] - centre[d];
                    target[d] = value;
                    norm += value * value;
                }

                norms[i] = norm;
            }

            for (var chunk = 0; chunk < padded; chunk += Lanes)
            {
                Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
                for (var d = 0; d < dimension; d++)
                {
                    var axis = Vector512.LoadUnsafe(ref axes, (nuint)(d * padded + chunk));
                    a0 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref c, d)), axis, a0);
                    a1 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref c, dimension + d)), axis, a1);
                    a2 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref c, 2 * dimension + d)), axis, a2);
                    a3 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref c, 3 * dimension + d)), axis, a3);
                }

                a0.StoreUnsafe(ref p, (nuint)chunk);
                a1.StoreUnsafe(ref p, (nuint)(padded + chunk));
                a2.StoreUnsafe(ref p, (nuint)(2 * padded + chunk));
                a3.StoreUnsafe(ref p, (nuint)(3 * padded + chunk));
            }

            for (var i = 0; i < count; i++)
            {
                var coordinates = projected.Slice(i * padded, axisCount);
                var squaredLength = 0f;
                foreach (var value in coordinates)
                {
                    squaredLength += value * value;
                }

                var target = reduced.Slice((first + i) * width, width);
                coordinates.CopyTo(target);
                target[axisCount] = MathF.Sqrt(Math.Max(0f, norms[i] - squaredLength));
            }
        }
    }

    /// <summary>The TorchSharp reduction of query rows (the reference <see cref="ReduceQueries"/> is checked against in tests).</summary>
    internal float[] ReduceWithTensors(float[] queries) => projection.Reduce(queries);

    /// <summary>Axis columns rounded up to whole 16-lane vectors (the padding columns are zero).</summary>
    private static int PaddedAxes(int axisCount) => (axisCount + 15) / 16 * 16;
}
