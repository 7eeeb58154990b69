using AnomalyNcd.Dashboard.Logic;
using AnomalyNcd.Dashboard.Tests.Support;

namespace AnomalyNcd.Dashboard.Tests.Logic;

public sealed class ModelReadinessTests
{
    [Fact]
    public void Judge_EnoughDecidedRegionsMostlyKept_IsReady()
    {
        var outcomes = Outcomes.Of("c1", OperatorVerdict.Kept, 46).Concat(Outcomes.Of("c2", OperatorVerdict.Kept, 9)).Concat(Outcomes.Of("c2", OperatorVerdict.Moved, 1))
            .Concat(Outcomes.Of("c3", OperatorVerdict.Undecided, 100)).ToList();

        var verdict = ModelReadiness.Judge("v1", outcomes);

        Assert.True(verdict.Ready);
        Assert.Equal("ready", verdict.Label);
        Assert.Equal("ready: 56 decided regions and 98 % kept", verdict.Reason);
    }

    [Fact]
    public void Judge_TooFewDecidedRegions_NeedsReview()
    {
        var verdict = ModelReadiness.Judge("v1", Outcomes.Of("c1", OperatorVerdict.Kept, ModelReadiness.MinDecidedRegions - 1).Concat(Outcomes.Of("c1", OperatorVerdict.Undecided, 500)).ToList());

        Assert.False(verdict.Ready);
        Assert.Equal("needs review", verdict.Label);
        Assert.Equal("needs review: 49 decided regions, fewer than 50", verdict.Reason);
    }

    [Fact]
    public void Judge_TooFewKeptOverall_NeedsReview()
    {
        var verdict = ModelReadiness.Judge("v1", Outcomes.Of("c1", OperatorVerdict.Kept, 80).Concat(Outcomes.Of("c1", OperatorVerdict.Rejected, 20)).ToList());

        Assert.False(verdict.Ready);
        Assert.Equal("needs review: 80 % of 100 decided regions kept (needs ≥ 90 %)", verdict.Reason);
    }

    [Fact]
    public void Judge_OneClassMostlyMoved_NeedsReviewNamingThatClass()
    {
        // 93 % kept overall, but a third of c3's regions were moved.
        var outcomes = Outcomes.Of("c1", OperatorVerdict.Kept, 120).Concat(Outcomes.Of("c3", OperatorVerdict.Kept, 20)).Concat(Outcomes.Of("c3", OperatorVerdict.Moved, 10)).ToList();

        var verdict = ModelReadiness.Judge("v1", outcomes);

        Assert.False(verdict.Ready);
        Assert.Equal("needs review: 33 % of class c3's regions moved", verdict.Reason);
    }

    [Fact]
    public void Judge_ASmallClassMostlyMoved_DoesNotDecide()
    {
        var outcomes = Outcomes.Of("c1", OperatorVerdict.Kept, 120).Concat(Outcomes.Of("c3", OperatorVerdict.Moved, ModelReadiness.MinClassDecided - 1)).ToList();

        Assert.True(ModelReadiness.Judge("v1", outcomes).Ready);
    }

    [Fact]
    public void PerModel_JudgesEachModelVersionOnItsOwnRegions()
    {
        var outcomes = Outcomes.Of("c1", OperatorVerdict.Kept, 60, model: "v2").Concat(Outcomes.Of("c1", OperatorVerdict.Rejected, 60, model: "v1")).ToList();

        var verdicts = ModelReadiness.PerModel(outcomes);

        Assert.Equal([("v1", false), ("v2", true)], verdicts.Select(v => (v.ModelVersion, v.Ready)));
        Assert.StartsWith("ready: ≥ 50 decided regions, ≥ 90 % kept", ModelReadiness.Rule);
    }
}
