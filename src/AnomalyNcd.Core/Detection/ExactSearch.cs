using static TorchSharp.torch;

namespace AnomalyNcd.Core.Detection;

/// <summary>
/// Exact Euclidean distance to the nearest bank vector at full dimension, with TorchSharp matrix products:
/// ‖q − b‖² = ‖q‖² + ‖b‖² − 2·q·b over blocks of bank rows. The reference the shortlist searches are tested against,
/// and the search of <see cref="LeaveOneOutScorer"/> (which leaves some bank rows out).
/// </summary>
internal sealed class ExactSearch : INearestNeighbourSearch
{
    /// <summary>Bank rows per distance block: 8192 × (784·batch) floats.</summary>
    private const int ChunkRows = 8192;

    private readonly Tensor bank;
    private readonly Tensor bankNorms;

    public ExactSearch(float[] bankVectors, int dimension)
    {
        Count = NearestNeighbourSearch.BankRows(bankVectors, dimension);
        Dimension = dimension;
        bank = tensor(bankVectors, [Count, dimension]);
        bankNorms = bank.mul(bank).sum(1);
    }

    public int Dimension { get; }

    public int Count { get; }

    public NearestNeighbourMode Mode => NearestNeighbourMode.Exact;

    public float[] Distances(float[] queries, int threads = 1) => Distances(queries, excluded: null);

    /// <summary>As <see cref="Distances(float[], int)"/>, ignoring the bank rows marked in <paramref name="excluded"/> (one flag per bank row).</summary>
    internal float[] Distances(float[] queries, bool[]? excluded)
    {
        ArgumentNullException.ThrowIfNull(queries);
        if (excluded is not null && excluded.Length != Count)
        {
            throw new ArgumentException($"{excluded.Length} exclusion flags for a bank of {Count} rows", nameof(excluded));
        }

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var query = tensor(queries, [queries.Length / Dimension, Dimension]);
        var queryNorms = query.mul(query).sum(1, keepdim: true);
        var best = BlockMinimum(query, queryNorms, 0, excluded);
        for (var start = ChunkRows; start < Count; start += ChunkRows)
        {
            best = minimum(best, BlockMinimum(query, queryNorms, start, excluded));
        }

        return best.AtLeast(0).sqrt().data<float>().ToArray();
    }

    public void Dispose()
    {
        bank.Dispose();
        bankNorms.Dispose();
    }

    /// <summary>Smallest squared distance of each query to the bank rows of one block.</summary>
    private Tensor BlockMinimum(Tensor query, Tensor queryNorms, int start, bool[]? excluded)
    {
        var length = Math.Min(ChunkRows, Count - start);
        var chunk = bank.narrow(0, start, length);
        var squared = queryNorms.Plus(bankNorms.narrow(0, start, length).unsqueeze(0)).Minus(query.matmul(chunk.t()).Times(2));
        if (excluded is not null && Array.IndexOf(excluded, true, start, length) >= 0)
        {
            squared = squared.FilledWhere(tensor(excluded.AsSpan(start, length).ToArray()).unsqueeze(0), double.PositiveInfinity);
        }

        return squared.amin(1);
    }
}
