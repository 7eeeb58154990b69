using AnomalyNcd.Core.Common;

namespace AnomalyNcd.Core.Training;

/// <summary>
/// Per-epoch learning rate of method-spec §9.4 (CosineAnnealingLR with T_max = epochs and
/// eta_min = lr·1e-3, stepped once per epoch): lr_e = lr_min + (lr − lr_min)(1 + cos(π e / E)) / 2.
/// </summary>
public static class CosineLearningRateSchedule
{
    public const double DefaultBaseLearningRate = 0.003;
    public const double DefaultMinimumFactor = 1e-3;

    public static double At(int epoch, int totalEpochs, double baseLearningRate = DefaultBaseLearningRate, double minimumFactor = DefaultMinimumFactor)
    {
        if (totalEpochs <= 0)
        {
            throw new InvalidInputException(null, $"the number of epochs must be positive, got {totalEpochs}");
        }

        if (epoch < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(epoch), $"epoch must be >= 0, got {epoch}");
        }

        var minimum = baseLearningRate * minimumFactor;
        return minimum + (baseLearningRate - minimum) * (1 + Math.Cos(Math.PI * epoch / totalEpochs)) / 2;
    }

    public static double[] Build(int totalEpochs, double baseLearningRate = DefaultBaseLearningRate, double minimumFactor = DefaultMinimumFactor)
    {
        if (totalEpochs <= 0)
        {
            throw new InvalidInputException(null, $"the number of epochs must be positive, got {totalEpochs}");
        }

        return Enumerable.Range(0, totalEpochs).Select(e => At(e, totalEpochs, baseLearningRate, minimumFactor)).ToArray();
    }
}
