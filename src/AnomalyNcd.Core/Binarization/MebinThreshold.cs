namespace AnomalyNcd.Core.Binarization;

/// <summary>
/// The threshold MEBin chose for one map: the raw 8-bit threshold T used for the final mask, the
/// normalised threshold and its sweep index (null when no stable interval exists, then T = 255), and
/// the estimated number of anomalous regions (0 = none).
/// </summary>
public readonly record struct MebinThreshold(int Threshold, int? NormalizedThreshold, int? ThresholdIndex, int EstimatedRegionCount)
{
    public static MebinThreshold NoAnomaly { get; } = new(255, null, null, 0);
}
