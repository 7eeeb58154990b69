namespace AnomalyNcd.Core.Training;

/// <summary>
/// Pseudo-label correction weight of an unlabelled crop (method-spec §9.1): w = max(0, threshold − score),
/// where score is the crop's anomaly score (§6.6); a threshold of -1 (any negative) disables PLC (w = 0).
/// </summary>
public static class PseudoLabelCorrection
{
    public const double DefaultThreshold = 0.5;
    public const double Disabled = -1.0;

    public static double Weight(double cropScore, double threshold = DefaultThreshold)
    {
        if (threshold < 0)
        {
            return 0.0;
        }

        return Math.Max(0.0, threshold - cropScore);
    }
}
