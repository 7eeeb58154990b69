namespace AnomalyNcd.Analytics.Clustering;

/// <summary>Where one predicted cluster went in the Hungarian matching.</summary>
/// <param name="Cluster">The predicted cluster name.</param>
/// <param name="MatchedClass">The true class it was matched to; null when unmatched (all its samples count as wrong).</param>
/// <param name="Size">Samples in the cluster.</param>
/// <param name="Correct">Samples of the cluster whose true class is <paramref name="MatchedClass"/>.</param>
public sealed record ClusterAssignment(
    string Cluster,
    string? MatchedClass,
    int Size,
    int Correct);
