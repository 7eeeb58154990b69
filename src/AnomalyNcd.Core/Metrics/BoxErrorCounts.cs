namespace AnomalyNcd.Core.Metrics;

/// <summary>
/// Box counts behind the binarisation error rates (paper Table 3 style); add per-image counts to get a
/// dataset total. See <see cref="BinarizationErrorRates"/> for the matching rule.
/// </summary>
/// <param name="GroundTruthBoxes">Ground-truth boxes seen.</param>
/// <param name="MissedGroundTruth">Ground-truth boxes that no predicted box overlaps with IoU &gt; threshold.</param>
/// <param name="PredictedBoxes">Predicted boxes seen.</param>
/// <param name="FalsePositives">Predicted boxes that overlap no ground-truth box with IoU &gt; threshold.</param>
public readonly record struct BoxErrorCounts(int GroundTruthBoxes, int MissedGroundTruth, int PredictedBoxes, int FalsePositives)
{
    /// <summary>False negative rate = missed ground-truth boxes / ground-truth boxes; 0 when there are none.</summary>
    public double FalseNegativeRate => GroundTruthBoxes == 0 ? 0.0 : (double)MissedGroundTruth / GroundTruthBoxes;

    /// <summary>False positive rate = unmatched predicted boxes / predicted boxes; 0 when there are none.</summary>
    public double FalsePositiveRate => PredictedBoxes == 0 ? 0.0 : (double)FalsePositives / PredictedBoxes;

    public static BoxErrorCounts operator +(BoxErrorCounts a, BoxErrorCounts b) => new(
        a.GroundTruthBoxes + b.GroundTruthBoxes,
        a.MissedGroundTruth + b.MissedGroundTruth,
        a.PredictedBoxes + b.PredictedBoxes,
        a.FalsePositives + b.FalsePositives);
}
