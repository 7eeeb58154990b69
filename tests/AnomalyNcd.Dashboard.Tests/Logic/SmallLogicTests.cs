using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Dashboard.Logic;
using AnomalyNcd.Dashboard.Tests.Support;

namespace AnomalyNcd.Dashboard.Tests.Logic;

public sealed class SmallLogicTests
{
    [Fact]
    public void MergeTargets_NeverOfferTheClassItselfOrRejectedClasses()
    {
        var line = new[]
        {
            Classes.Of("a", ClassStatus.Proposed, 5),
            Classes.Of("b", ClassStatus.Confirmed, 1, "Dent"),
            Classes.Of("c", ClassStatus.Rejected, 9),
            Classes.Of("d", ClassStatus.Proposed, 7),
        };

        var targets = MergeTargets.For("a", line).Select(c => c.ClassId);

        Assert.Equal(["b", "d"], targets);
    }

    [Fact]
    public void Paging_ClampsThePageAndCountsPartialPages()
    {
        var items = Enumerable.Range(1, 7).ToList();

        Assert.Equal(3, Paging.PageCount(items.Count, 3));
        Assert.Equal(1, Paging.PageCount(0, 3));
        Assert.Equal([7], Paging.Page(items, 3, 3));
        Assert.Equal([7], Paging.Page(items, 99, 3));
        Assert.Equal([1, 2, 3], Paging.Page(items, 0, 3));
    }

    [Fact]
    public void ClassPalette_IsStablePerClassAndGreyForUnassigned()
    {
        Assert.Equal(ClassPalette.For("class-7"), ClassPalette.For("class-7"));
        Assert.Equal(ClassPalette.Unassigned, ClassPalette.For(null));
        // Different ids spread over the palette rather than all sharing one colour.
        Assert.True(Enumerable.Range(0, 20).Select(i => ClassPalette.For($"c{i}")).Distinct().Count() > 5);
    }

    [Fact]
    public void DashboardRoles_OnlyAuthenticatedOperatorsAndAdminsMayDecide()
    {
        Assert.False(DashboardRoles.CanDecide(Users.WithRole("vera", DashboardRoles.Viewer)));
        Assert.True(DashboardRoles.CanDecide(Users.WithRole("otto", DashboardRoles.Operator)));
        Assert.True(DashboardRoles.CanDecide(Users.WithRole("ada", DashboardRoles.Admin)));
        Assert.False(DashboardRoles.CanDecide(Users.Anonymous));
        Assert.Equal("anonymous", DashboardRoles.UserName(Users.Anonymous));
        Assert.Equal("otto", DashboardRoles.UserName(Users.WithRole("otto", DashboardRoles.Operator)));
    }
}
