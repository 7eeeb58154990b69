namespace AnomalyNcd.Core.Training.Data;

/// <summary>
/// The reference's weighted sampler (method-spec §7.2): L_n + U_n draws per epoch with replacement,
/// each draw labelled or unlabelled with probability ½ and uniform inside its part (plain uniform over
/// the unlabelled samples when there are no labelled ones), cut into batches in draw order (the last
/// batch may be smaller). One seeded generator serves all epochs, so a run is reproducible.
/// </summary>
public sealed class BalancedSampler
{
    private readonly int[] _labelled;
    private readonly int[] _unlabelled;
    private readonly HashSet<int> _labelledSet;
    private readonly Random _random;

    public BalancedSampler(IReadOnlyList<int> labelledIndices, IReadOnlyList<int> unlabelledIndices, int batchSize, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (unlabelledIndices.Count == 0)
        {
            throw new ArgumentException("the sampler needs at least one unlabelled sample", nameof(unlabelledIndices));
        }

        _labelled = [.. labelledIndices];
        _unlabelled = [.. unlabelledIndices];
        _labelledSet = [.. labelledIndices];
        BatchSize = batchSize;
        _random = new Random(seed);
    }

    public static BalancedSampler For(CropDataset dataset, int batchSize, int seed) =>
        new(dataset.LabelledIndices, dataset.UnlabelledIndices, batchSize, seed);

    public int BatchSize { get; }

    public int DrawsPerEpoch => _labelled.Length + _unlabelled.Length;

    public int BatchesPerEpoch => (DrawsPerEpoch + BatchSize - 1) / BatchSize;

    /// <summary>The next epoch's draws, in order.</summary>
    public int[] DrawEpoch()
    {
        var draws = new int[DrawsPerEpoch];
        for (var i = 0; i < draws.Length; i++)
        {
            var fromLabelled = _labelled.Length > 0 && _random.NextDouble() < 0.5;
            draws[i] = fromLabelled ? _labelled[_random.Next(_labelled.Length)] : _unlabelled[_random.Next(_unlabelled.Length)];
        }

        return draws;
    }

    /// <summary>The next epoch's draws cut into batches of <see cref="BatchSize"/>.</summary>
    public IReadOnlyList<SampledBatch> NextEpoch()
    {
        var draws = DrawEpoch();
        var batches = new List<SampledBatch>(BatchesPerEpoch);
        for (var start = 0; start < draws.Length; start += BatchSize)
        {
            var indices = draws[start..Math.Min(draws.Length, start + BatchSize)];
            var labelledCount = indices.Count(_labelledSet.Contains);
            var unmixed = _labelled.Length > 0 && (labelledCount == 0 || labelledCount == indices.Length);
            batches.Add(new SampledBatch(indices, unmixed));
        }

        return batches;
    }
}
