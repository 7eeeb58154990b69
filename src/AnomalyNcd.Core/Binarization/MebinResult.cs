using AnomalyNcd.Core.Imaging;

namespace AnomalyNcd.Core.Binarization;

/// <summary>
/// MEBin output for one map: the component count at every threshold of the sweep (highest threshold
/// first), the chosen threshold, and the final 0/255 mask at map size.
/// </summary>
public sealed record MebinResult(IReadOnlyList<int> Counts, MebinThreshold Choice, GrayImage Mask)
{
    /// <summary>Raw 8-bit threshold T of the final mask (255 when no anomaly was found).</summary>
    public int Threshold => Choice.Threshold;

    public int? NormalizedThreshold => Choice.NormalizedThreshold;

    public int? ThresholdIndex => Choice.ThresholdIndex;

    public int EstimatedRegionCount => Choice.EstimatedRegionCount;
}
