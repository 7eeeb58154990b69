namespace AnomalyNcd.Core.Detection;

/// <summary>
/// Builds the <see cref="INearestNeighbourSearch"/> for a <see cref="NearestNeighbourMode"/>. The mode is what options
/// and callers name; a shortlist that would not save work becomes <see cref="ExactSearch"/>, and the blocked search
/// becomes <see cref="ShortlistSearch"/> (the same candidates) where AVX-512 is missing.
/// </summary>
public static class NearestNeighbourSearch
{
    /// <summary>Candidates per query measured at full dimension by the shortlist searches.</summary>
    public const int DefaultShortlistSize = 16;

    /// <summary>Principal axes kept for the lower bound (one more coordinate holds the residual length).</summary>
    public const int DefaultReducedDimension = 63;

    public static INearestNeighbourSearch Create(
        float[] bankVectors,
        int dimension,
        NearestNeighbourMode mode = NearestNeighbourMode.Exact,
        int shortlistSize = DefaultShortlistSize,
        int reducedDimension = DefaultReducedDimension) =>
        Create(bankVectors, dimension, mode, shortlistSize, reducedDimension, BlockedShortlistRanker.IsSupported);

    /// <param name="blockedKernelAvailable">False forces the fallback of machines without AVX-512 (for tests).</param>
    internal static INearestNeighbourSearch Create(
        float[] bankVectors,
        int dimension,
        NearestNeighbourMode mode,
        int shortlistSize,
        int reducedDimension,
        bool blockedKernelAvailable)
    {
        var count = BankRows(bankVectors, dimension);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(shortlistSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(reducedDimension);
        // A shortlist as long as the bank, or a reduction to the full dimension, saves nothing.
        if (mode == NearestNeighbourMode.Exact || shortlistSize >= count || reducedDimension >= dimension)
        {
            return new ExactSearch(bankVectors, dimension);
        }

        return mode == NearestNeighbourMode.BlockedShortlist && blockedKernelAvailable
            ? new BlockedShortlistSearch(bankVectors, dimension, shortlistSize, reducedDimension)
            : new ShortlistSearch(bankVectors, dimension, shortlistSize, reducedDimension);
    }

    /// <summary>Checks a bank ([rows, dimension], row-major) and returns its row count.</summary>
    internal static int BankRows(float[] bankVectors, int dimension)
    {
        ArgumentNullException.ThrowIfNull(bankVectors);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        var count = bankVectors.Length / dimension;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count, nameof(bankVectors));
        return count;
    }
}
