using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Contracts.Regions;
using AnomalyNcd.Dashboard.Logic;
using AnomalyNcd.Dashboard.Tests.Support;

namespace AnomalyNcd.Dashboard.Tests.Logic;

public sealed class RegionOutcomesTests
{
    private static readonly DateTimeOffset MergedAt = Classes.At.AddHours(1);
    private static readonly DateTimeOffset SplitAt = Classes.At.AddHours(2);

    private static readonly ClassDecision[] Log =
    [
        new("press-7", "confirm", "otto", Classes.At, """[{"ClassId":"c1","Name":null,"Status":"Proposed","RegionCount":3,"ImageCount":3}]""", "[]"),
        new("press-7", "merge", "otto", MergedAt, """[{"ClassId":"c2","Name":null},{"ClassId":"c1","Name":"Scratch"}]""", "[]"),
        new("press-7", "split", "otto", SplitAt, """[{"ClassId":"c1","Name":"Scratch"}]""", "[]"),
        new("press-7", "rename", "otto", SplitAt, "not json", "[]"),
    ];

    [Fact]
    public void MoveSources_NameTheFirstClassBeforeTheChange()
    {
        var sources = MoveSources.From(Log);

        Assert.Equal("c2", sources.SourceOf(new OperatorDecision("merge", "c1", "otto", MergedAt)));
        Assert.Equal("c1", sources.SourceOf(new OperatorDecision("split", "c9", "otto", SplitAt)));
        Assert.Null(sources.SourceOf(new OperatorDecision("merge", "c1", "otto", MergedAt.AddSeconds(1))));
        Assert.Null(sources.SourceOf(new OperatorDecision("rename", "c1", "otto", SplitAt)));
    }

    [Fact]
    public void From_SortsRegionsIntoKeptMovedRejectedAndUndecided()
    {
        DefectClass[] classes = [Classes.Of("c1", ClassStatus.Confirmed, 2, "Scratch"), Classes.Of("c3", ClassStatus.Rejected, 1), Classes.Of("c4", ClassStatus.Proposed, 1), Classes.Of("c9", ClassStatus.Proposed, 1)];
        var images = new[]
        {
            Regions.Image("a", null,
                Regions.Of("a", 0, "c1", 0.95),
                Regions.Of("a", 1, "c1", 0.7) with { Decision = new OperatorDecision("merge", "c1", "otto", MergedAt) },
                Regions.Of("a", 2, "c9", 0.6) with { Decision = new OperatorDecision("split", "c9", "otto", SplitAt) }),
            Regions.Image("b", null, Regions.Of("b", 0, "c3", 0.5), Regions.Of("b", 1, "c4", 0.4), Regions.Of("b", 2, null, 0)),
            Regions.Image("c", null, Regions.Of("c", 0, "c1", 0.8) with { Decision = new OperatorDecision("reject", null, "otto", SplitAt) }),
        };

        var outcomes = RegionOutcomes.From(images, classes, MoveSources.From(Log));

        Assert.Equal(
            [("c1", OperatorVerdict.Kept), ("c2", OperatorVerdict.Moved), ("c1", OperatorVerdict.Moved), ("c3", OperatorVerdict.Rejected), ("c4", OperatorVerdict.Undecided), (RegionOutcomes.UnknownClass, OperatorVerdict.Rejected)],
            outcomes.Select(o => (o.PredictedClassId, o.Verdict)));
        Assert.Equal("c9", outcomes[2].DecidedClassId);
        Assert.Equal(0.7, outcomes[1].Confidence);
    }
}
