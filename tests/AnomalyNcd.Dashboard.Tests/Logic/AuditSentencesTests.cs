using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Dashboard.Logic;

namespace AnomalyNcd.Dashboard.Tests.Logic;

public sealed class AuditSentencesTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 4, 23, 59, 1, TimeSpan.Zero);

    private static ClassDecision Decision(string action, string before, string after) => new("l1", action, "olga", At, before, after);

    private static string Entry(string id, string? name, int regions) =>
        $"{{\"ClassId\":\"{id}\",\"Name\":{(name is null ? "null" : $"\"{name}\"")},\"Status\":\"Confirmed\",\"RegionCount\":{regions},\"ImageCount\":1}}";

    [Theory]
    [InlineData("reject-region", "", "rejected 2 regions as not a defect")]
    [InlineData("assign-region", "c3", "moved 2 regions to c3")]
    [InlineData("keep-region", "c1", "kept 2 regions in c1")]
    public void RegionDecision_SaysHowManyRegionsAndWhere(string action, string after, string expected)
    {
        var decision = Decision(action, "[\"l1/a/0\",\"l1/b/1\"]", after);

        Assert.Equal(expected, AuditSentences.Describe(decision));
    }

    [Fact]
    public void Rename_SaysOldAndNewName()
    {
        var decision = Decision("rename", $"[{Entry("c2", "Spot", 4)}]", $"[{Entry("c2", "Dark spot", 4)}]");
        Assert.Equal("renamed c2 'Spot' → 'Dark spot'", AuditSentences.Describe(decision));
    }

    [Fact]
    public void Rename_OfAnUnnamedClass_SaysUnnamed()
    {
        var decision = Decision("rename", $"[{Entry("c2", null, 4)}]", $"[{Entry("c2", "Dent", 4)}]");
        Assert.Equal("renamed c2 (unnamed) → 'Dent'", AuditSentences.Describe(decision));
    }

    [Fact]
    public void Confirm_SaysTheName()
    {
        var decision = Decision("confirm", $"[{Entry("c3", null, 2)}]", $"[{Entry("c3", "Scratch", 2)}]");
        Assert.Equal("confirmed c3 as 'Scratch'", AuditSentences.Describe(decision));
    }

    [Fact]
    public void Reject_SaysNotADefect()
    {
        var decision = Decision("reject", $"[{Entry("c4", "Dust", 1)}]", $"[{Entry("c4", "Dust", 1)}]");
        Assert.Equal("rejected c4 'Dust' as not a defect", AuditSentences.Describe(decision));
    }

    [Fact]
    public void Merge_SaysSourceTargetAndMovedRegions()
    {
        var decision = Decision("merge", $"[{Entry("c1", null, 3)},{Entry("c0", "Hole", 5)}]", $"[{Entry("c0", "Hole", 8)}]");
        Assert.Equal("merged c1 into c0 'Hole' (3 regions moved)", AuditSentences.Describe(decision));
    }

    [Fact]
    public void Split_CountsTheRegionsThatLeftTheSource()
    {
        var decision = Decision("split", $"[{Entry("c2", null, 7)}]", $"[{Entry("c2", null, 4)},{Entry("c5", "Crack", 3)}]");
        Assert.Equal("split 3 regions of c2 into c5 'Crack'", AuditSentences.Describe(decision));
    }

    [Fact]
    public void Promote_SaysTheVersionAndThePreviousOne()
    {
        Assert.Equal("promoted model v3", AuditSentences.Describe(Decision("promote", "", "v3")));
        Assert.Equal("promoted model v3 (was v2)", AuditSentences.Describe(Decision("promote", "v2", "v3")));
    }

    [Fact]
    public void UnreadableEntry_FallsBackToTheAction()
    {
        Assert.Equal("rename", AuditSentences.Describe(Decision("rename", "not json", "[]")));
    }

    [Fact]
    public void WhoAndWhen_IsOneLine()
    {
        Assert.Equal("olga · 2026-12-04 23:59:01 UTC", AuditSentences.WhoAndWhen(Decision("rename", "", "")));
    }
}
