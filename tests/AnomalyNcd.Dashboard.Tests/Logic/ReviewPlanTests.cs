using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Dashboard.Logic;
using AnomalyNcd.Dashboard.Tests.Support;

namespace AnomalyNcd.Dashboard.Tests.Logic;

public sealed class ReviewPlanTests
{
    private static readonly DefectClass[] Catalogue =
    [
        Classes.Of("c1", ClassStatus.Confirmed, 2, "Scratch"), Classes.Of("p2", ClassStatus.Proposed, 1),
        Classes.Of("p3", ClassStatus.Proposed, 1, "Dent"), Classes.Of("x4", ClassStatus.Rejected, 1),
    ];

    [Fact]
    public void ClassesToConfirm_EachUnconfirmedClassOnceUnderItsNameOrId()
    {
        var regions = new[] { Regions.Of("a", 0, "p2", 0.5), Regions.Of("a", 1, "c1", 0.5), Regions.Of("b", 0, "p3", 0.5), Regions.Of("b", 1, "p2", 0.7), Regions.Of("c", 0, null, 0) };

        Assert.Equal([("p2", "p2"), ("p3", "Dent")], ReviewPlan.ClassesToConfirm(regions, Catalogue));
    }

    [Fact]
    public void RegionsToKeep_AreThoseWithAClass()
    {
        var regions = new[] { Regions.Of("a", 0, "p2", 0.5), Regions.Of("c", 0, null, 0), Regions.Of("a", 1, "c1", 0.5) };

        Assert.Equal([(regions[0].Key, "p2"), (regions[2].Key, "c1")], ReviewPlan.RegionsToKeep(regions));
    }

    [Fact]
    public void AssignTargets_LeaveOutRejectedClassesConfirmedFirst()
    {
        Assert.Equal(["c1", "p3", "p2"], ReviewPlan.AssignTargets(Catalogue).Select(c => c.ClassId));
    }
}
