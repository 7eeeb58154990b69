namespace AnomalyNcd.Core.Discovery;

/// <summary>Which features the class-count estimate clusters when the number of novel classes is not given.</summary>
public enum ClassCountFeatures
{
    /// <summary>
    /// The CLS features of the network trained with the largest class count tried (<see cref="LearntClassCount"/>); the
    /// ResNet18 backbone without a resumed checkpoint only, otherwise <see cref="FrozenTokens"/>.
    /// </summary>
    Learnt,

    /// <summary>The crops' mask-pooled frozen backbone tokens (<see cref="ClassCountEstimator"/>): no training first.</summary>
    FrozenTokens,
}
