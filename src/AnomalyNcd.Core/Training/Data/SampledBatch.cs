namespace AnomalyNcd.Core.Training.Data;

/// <summary>
/// One batch of sample indices. <see cref="IsUnmixed"/> is true when a labelled set exists and the
/// batch holds only labelled or only unlabelled samples; the reference skips such batches (§7.2).
/// </summary>
public sealed record SampledBatch(IReadOnlyList<int> Indices, bool IsUnmixed);
