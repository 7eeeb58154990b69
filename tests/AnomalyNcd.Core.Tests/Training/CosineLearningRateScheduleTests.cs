using AnomalyNcd.Core.Training;

namespace AnomalyNcd.Core.Tests.Training;

public class CosineLearningRateScheduleTests
{
    [Theory]
    [InlineData(0, 3.0e-3)]
    [InlineData(25, 1.5015e-3)]
    [InlineData(49, 5.96e-6)]
    public void At_FiftyEpochs_MatchesSpecValuesToThreeSignificantDigits(int epoch, double expected)
    {
        var lr = CosineLearningRateSchedule.At(epoch, 50);

        Assert.Equal(expected, lr, expected * 5e-3);
    }

    [Fact]
    public void Build_DecreasesMonotonicallyTowardsMinimum()
    {
        var table = CosineLearningRateSchedule.Build(7, baseLearningRate: 0.01);

        Assert.Equal(7, table.Length);
        Assert.Equal(0.01, table[0], 15);
        Assert.True(table.Zip(table.Skip(1), (a, b) => a > b).All(x => x));
        Assert.True(table[^1] > 0.01 * 1e-3);
        // Closed form at the last epoch: lr_min + (lr - lr_min)(1 + cos(6π/7))/2.
        Assert.Equal(1e-5 + (0.01 - 1e-5) * (1 + Math.Cos(Math.PI * 6 / 7)) / 2, table[^1], 15);
    }
}
