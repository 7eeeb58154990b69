using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Training;

namespace AnomalyNcd.Core.Tests.Training;

public class TeacherTemperatureScheduleTests
{
    [Fact]
    public void Build_FiftyEpochs_MatchesSpecTable()
    {
        var table = TeacherTemperatureSchedule.Build(50);

        double[] steps = { 0.07, 0.066667, 0.063333, 0.06, 0.056667, 0.053333, 0.05, 0.046667, 0.043333 };
        Assert.Equal(50, table.Length);
        for (var epoch = 0; epoch < 36; epoch++)
        {
            Assert.Equal(steps[epoch / 4], table[epoch], 6);
        }

        for (var epoch = 36; epoch < 50; epoch++)
        {
            Assert.Equal(0.04, table[epoch], 12);
        }
    }

    [Fact]
    public void Build_ShorterThanWarmUp_KeepsTheWarmUpPrefix()
    {
        var table = TeacherTemperatureSchedule.Build(6);

        Assert.Equal(new[] { 0.07, 0.07, 0.07, 0.07 }, table[..4]);
        Assert.Equal(0.066667, table[4], 6);
        Assert.Equal(6, table.Length);
    }

    [Fact]
    public void Build_CustomWarmUp_ReachesFinalAtLastStep()
    {
        var table = TeacherTemperatureSchedule.Build(8, warmUpStart: 0.1, final: 0.05, warmUpEpochs: 6, repeatTimes: 2);

        Assert.Equal(new[] { 0.1, 0.1, 0.075, 0.075, 0.05, 0.05, 0.05, 0.05 }, table.Select(t => Math.Round(t, 12)).ToArray());
    }

    [Fact]
    public void Build_WarmUpNotMultipleOfRepeatTimes_IsRefused()
    {
        var error = Assert.Throws<InvalidInputException>(() => TeacherTemperatureSchedule.Build(50, warmUpEpochs: 30, repeatTimes: 4));

        Assert.Contains("multiple", error.Message);
    }
}
