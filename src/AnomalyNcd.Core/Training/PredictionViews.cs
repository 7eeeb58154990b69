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
