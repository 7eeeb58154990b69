using AnomalyNcd.Contracts.Lines;

namespace AnomalyNcd.Grains.Tests.Lines;

/// <summary>What a valid alarm rule is (the rule beside <see cref="AlarmRule"/>, used by the API and the grain).</summary>
public sealed class AlarmRuleTests
{
    [Theory]
    [InlineData(AlarmKind.AnomalyRate, 5.0, null, 60, null)]
    [InlineData(AlarmKind.ClassShare, 0.0, "k1", 1, null)]
    [InlineData(AlarmKind.NewClass, null, null, 0, null)]
    [InlineData(AlarmKind.AnomalyRate, null, null, 60, "thresholdPercent")]
    [InlineData(AlarmKind.AnomalyRate, -1.0, null, 60, "thresholdPercent")]
    [InlineData(AlarmKind.AnomalyRate, 100.0, null, 60, "thresholdPercent")]
    [InlineData(AlarmKind.AnomalyRate, double.NaN, null, 60, "thresholdPercent")]
    [InlineData(AlarmKind.AnomalyRate, 5.0, null, 0, "windowMinutes")]
    [InlineData(AlarmKind.AnomalyRate, 5.0, null, AlarmRule.MaxWindowMinutes + 1, "windowMinutes")]
    [InlineData(AlarmKind.ClassShare, 5.0, " ", 60, "classId")]
    [InlineData((AlarmKind)9, 5.0, null, 60, "kind")]
    public void Problem_NamesTheFaultyField(AlarmKind kind, double? threshold, string? classId, int window, string? field)
    {
        var problem = new AlarmRule(kind, threshold, classId, window).Problem();

        if (field is null)
        {
            Assert.Null(problem);
        }
        else
        {
            Assert.Contains(field, problem);
        }
    }

    [Fact]
    public void RuleSet_NamesTheFaultyRuleAndCapsTheCount()
    {
        Assert.Null(AlarmRule.Problem([]));
        Assert.Contains("rule 1", AlarmRule.Problem([new AlarmRule(AlarmKind.NewClass), new AlarmRule(AlarmKind.AnomalyRate)]));
        Assert.Contains("at most", AlarmRule.Problem([.. Enumerable.Repeat(new AlarmRule(AlarmKind.NewClass), AlarmRule.MaxRules + 1)]));
        Assert.NotNull(AlarmRule.Problem(null));
    }
}
