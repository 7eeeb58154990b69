using static TorchSharp.torch;

namespace AnomalyNcd.Core.Detection;

/// <summary>
/// Exact Euclidean distance from each query to its nearest memory-bank vector, with TorchSharp matrix products:
/// ‖q − b‖² = ‖q‖² + ‖b‖² − 2·q·b, taken over the bank in chunks so that the distance block stays small.
/// </summary>
/// <remarks>Not for concurrent use: callers batch queries (several images at once) instead.</remarks>
public sealed class NearestNeighbourSearch : IDisposable
{
    /// <summary>Bank rows per distance block: 8192 × (784·batch) floats.</summary>
    private const int ChunkRows = 8192;

    private readonly Tensor bank;
    private readonly Tensor bankNorms;

    public NearestNeighbourSearch(float[] bankVectors, int dimension)
    {
        ArgumentNullException.ThrowIfNull(bankVectors);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        Dimension = dimension;
        Count = bankVectors.Length / dimension;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Count);
        bank = tensor(bankVectors, [Count, dimension]);
        bankNorms = bank.mul(bank).sum(1);
    }

    public int Dimension { get; }

    public int Count { get; }

    /// <summary>Distance of every query row ([queries, Dimension], row-major) to its nearest bank vector.</summary>
    public float[] Distances(float[] queries)
    {
        ArgumentNullException.ThrowIfNull(queries);
        var rows = queries.Length / Dimension;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var query = tensor(queries, [rows, Dimension]);
        var queryNorms = query.mul(query).sum(1, keepdim: true);
        Tensor? best = null;
        for (var start = 0; start < Count; start += ChunkRows)
        {
            var length = Math.Min(ChunkRows, Count - start);
            var chunk = bank.narrow(0, start, length);
            var squared = queryNorms + bankNorms.narrow(0, start, length).unsqueeze(0) - 2 * query.matmul(chunk.t());
            var chunkBest = squared.amin(1);
            best = best is null ? chunkBest : minimum(best, chunkBest);
        }

        return best!.clamp_min(0).sqrt().data<float>().ToArray();
    }

    public void Dispose()
    {
        bank.Dispose();
        bankNorms.Dispose();
    }
}
