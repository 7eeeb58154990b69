using AnomalyNcd.Core.Common;

namespace AnomalyNcd.Core.Training;

/// <summary>
/// Per-epoch teacher temperature (method-spec §9.3): warmUpEpochs / repeatTimes evenly spaced values
/// from the warm-up start to the final temperature, each held for repeatTimes epochs, then the final
/// temperature for the remaining epochs. Epochs are 0-based.
/// </summary>
public static class TeacherTemperatureSchedule
{
    public const double DefaultWarmUpStart = 0.07;
    public const double DefaultFinal = 0.04;
    public const int DefaultWarmUpEpochs = 40;
    public const int DefaultRepeatTimes = 4;

    /// <summary>
    /// The table for <paramref name="totalEpochs"/> epochs. A run shorter than the warm-up gets the
    /// warm-up's first epochs (the reference would fail there).
    /// </summary>
    public static double[] Build(
        int totalEpochs,
        double warmUpStart = DefaultWarmUpStart,
        double final = DefaultFinal,
        int warmUpEpochs = DefaultWarmUpEpochs,
        int repeatTimes = DefaultRepeatTimes)
    {
        if (totalEpochs <= 0)
        {
            throw new InvalidInputException(null, $"the number of epochs must be positive, got {totalEpochs}");
        }

        if (warmUpEpochs < 0 || repeatTimes <= 0)
        {
            throw new InvalidInputException(null, $"teacher warm-up epochs ({warmUpEpochs}) must be >= 0 and repeat times ({repeatTimes}) > 0");
        }

        if (warmUpEpochs % repeatTimes != 0)
        {
            // The reference's table would come out shorter than the warm-up and indexing would fail later.
            throw new InvalidInputException(null, $"teacher warm-up epochs ({warmUpEpochs}) must be a multiple of repeat times ({repeatTimes})");
        }

        var steps = warmUpEpochs / repeatTimes;
        var table = new double[totalEpochs];
        for (var epoch = 0; epoch < totalEpochs; epoch++)
        {
            table[epoch] = epoch < warmUpEpochs ? WarmUpValue(epoch / repeatTimes, steps, warmUpStart, final) : final;
        }

        return table;
    }

    // numpy.linspace(start, final, steps)[index]: the last value is exactly the final temperature.
    private static double WarmUpValue(int index, int steps, double start, double final)
    {
        if (steps == 1)
        {
            return start;
        }

        return index == steps - 1 ? final : start + index * ((final - start) / (steps - 1));
    }
}
