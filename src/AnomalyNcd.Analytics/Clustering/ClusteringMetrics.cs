namespace AnomalyNcd.Analytics.Clustering;

/// <summary>
/// Clustering quality as the paper reports it (method-spec §10.3), plus a macro-F1 that the paper does not use.
/// </summary>
/// <param name="Nmi">Normalised mutual information, arithmetic normalisation (sklearn default).</param>
/// <param name="Ari">Adjusted Rand index (Hubert–Arabie, sklearn semantics).</param>
/// <param name="F1">The paper's "F1": micro-F1 after Hungarian matching, which for one label per sample
/// equals the matched ACCURACY (correct on matched pairs / N). Not macro-F1.</param>
/// <param name="MacroF1">Mean of <see cref="ClassScores.F1"/> over the ground-truth classes after matching.</param>
/// <param name="N">Number of samples.</param>
/// <param name="PerClass">Per ground-truth class precision/recall/F1 after matching, classes sorted.</param>
/// <param name="Mapping">Per predicted cluster the class it was matched to, clusters sorted.</param>
public sealed record ClusteringMetrics(
    double Nmi,
    double Ari,
    double F1,
    double MacroF1,
    int N,
    IReadOnlyList<ClassScores> PerClass,
    IReadOnlyList<ClusterAssignment> Mapping)
{
    /// <summary>Same value as <see cref="F1"/>, under its honest name.</summary>
    public double MatchedAccuracy => F1;
}
