using AnomalyNcd.Core.Common;

namespace AnomalyNcd.Core.Training;

/// <summary>Settings of one discovery training run (defaults sized for the CPU backbone).</summary>
public sealed record NcdTrainingOptions
{
    /// <summary>The epochs a discovery trains unless told otherwise (the CLI option's default too).</summary>
    public const int DefaultEpochs = 30;

    public int Epochs { get; init; } = DefaultEpochs;

    public int BatchSize { get; init; } = 32;

    /// <summary>SGD learning rate at epoch 0 (cosine schedule down to 1e-3 of it).</summary>
    public double LearningRate { get; init; } = 0.01;

    public int Seed { get; init; } = 3407;

    /// <summary>
    /// How the novel-class directions of the classifier heads start (the reference: random, as PyTorch's Linear).
    /// </summary>
    public HeadInitialisation HeadInit { get; init; } = HeadInitialisation.Random;

    /// <summary>
    /// Whether a novel class that no crop chooses takes half of another during the first half of training
    /// (<see cref="EmptyClassSplitting"/>); off in the reference.
    /// </summary>
    public bool SplitIntoEmptyClasses { get; init; }

    /// <summary>Pseudo-label correction threshold (0.5 in the reference); negative disables it.</summary>
    public double CorrectionThreshold { get; init; } = PseudoLabelCorrection.DefaultThreshold;

    /// <summary>Teacher temperature warm-up length; null = 80 % of the epochs rounded down to a multiple of 4 (the reference: 40 of 50).</summary>
    public int? TeacherWarmUpEpochs { get; init; }

    public NcdObjectiveOptions Objective { get; init; } = new();

    public int WarmUpEpochs() =>
        TeacherWarmUpEpochs ?? (int)(Epochs * 0.8) / TeacherTemperatureSchedule.DefaultRepeatTimes * TeacherTemperatureSchedule.DefaultRepeatTimes;

    public void Validate()
    {
        if (Epochs <= 0 || BatchSize < 2)
        {
            throw new InvalidInputException(null, $"epochs must be positive and the batch size at least 2 (got {Epochs}, {BatchSize})");
        }

        if (!(LearningRate > 0))
        {
            throw new InvalidInputException(null, $"the learning rate must be positive, got {LearningRate}");
        }
    }
}
