namespace AnomalyNcd.Core.Training;

/// <summary>Which of a crop's cached views its class probabilities come from.</summary>
public enum PredictionViews
{
    /// <summary>The plain (test) view only, as the reference predicts.</summary>
    Test,

    /// <summary>
    /// The mean of the probabilities of the plain view and of every cached augmented training view: the views the
    /// network was trained to agree on, asked again at prediction (test-time augmentation; no extra feature cost).
    /// </summary>
    All,
}

/// <summary>Which <see cref="PredictionViews"/> a run uses when none is given.</summary>
public static class PredictionViewDefaults
{
    /// <summary>
    /// <see cref="PredictionViews.All"/> where the regions are ground-truth masks: measured over three seeds on MTD (NMI
    /// 0.797 → 0.810, F1 0.832 → 0.839) and on a synthetic line (docs/RESULTS.md, stops 34 and 40). <see cref="PredictionViews.Test"/>,
    /// the reference, for regions cut from anomaly maps: there a blob-shaped region's augmented views show the defect less
    /// often, and the average lost on the raw-image path (stop 34).
    /// </summary>
    public static PredictionViews For(bool groundTruthMasks) => groundTruthMasks ? PredictionViews.All : PredictionViews.Test;
}
