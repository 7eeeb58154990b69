namespace AnomalyNcd.Analytics.Clustering;

/// <summary>Scores of one ground-truth class after clusters were matched to classes.</summary>
/// <param name="Class">The ground-truth class name.</param>
/// <param name="Support">Samples whose true class this is.</param>
/// <param name="Predicted">Samples in the cluster matched to this class (0 when no cluster was matched).</param>
/// <param name="Correct">Samples of this class inside its matched cluster.</param>
/// <param name="Precision">Correct / Predicted; 0 when nothing was predicted as this class.</param>
/// <param name="Recall">Correct / Support.</param>
/// <param name="F1">Harmonic mean of precision and recall; 0 when both are 0.</param>
public sealed record ClassScores(
    string Class,
    int Support,
    int Predicted,
    int Correct,
    double Precision,
    double Recall,
    double F1);
