using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Contracts.Training;
using AnomalyNcd.Dashboard.Logic;
using AnomalyNcd.Dashboard.Tests.Support;

namespace AnomalyNcd.Dashboard.Tests.Logic;

public sealed class ClassGrowthTests
{
    private static readonly DateTimeOffset T0 = Classes.At;

    [Fact]
    public void Observe_AProposedClassThatGrewWithinTheWindow_IsAPossibleNewDefectClass()
    {
        var growth = new ClassGrowth(TimeSpan.FromHours(1), minGrowth: 3);

        Assert.Empty(growth.Observe(Line(Classes.Of("p1", ClassStatus.Proposed, 2), Classes.Of("c1", ClassStatus.Confirmed, 5, "Scratch")), T0));
        Assert.Empty(growth.Observe(Line(Classes.Of("p1", ClassStatus.Proposed, 4), Classes.Of("c1", ClassStatus.Confirmed, 50, "Scratch")), T0.AddMinutes(20)));
        var alerts = growth.Observe(Line(Classes.Of("p1", ClassStatus.Proposed, 6), Classes.Of("c1", ClassStatus.Confirmed, 90, "Scratch")), T0.AddMinutes(40));

        var alert = Assert.Single(alerts);
        Assert.Equal(new NewClassAlert("press-7", "p1", 6, 4), alert);
    }

    [Fact]
    public void Observe_GrowthOlderThanTheWindow_NoLongerAlerts()
    {
        var growth = new ClassGrowth(TimeSpan.FromHours(1), minGrowth: 3);
        growth.Observe(Line(Classes.Of("p1", ClassStatus.Proposed, 1)), T0);
        growth.Observe(Line(Classes.Of("p1", ClassStatus.Proposed, 10)), T0.AddMinutes(30));

        Assert.Single(growth.Observe(Line(Classes.Of("p1", ClassStatus.Proposed, 10)), T0.AddMinutes(50)));
        Assert.Empty(growth.Observe(Line(Classes.Of("p1", ClassStatus.Proposed, 10)), T0.AddMinutes(95)));
        Assert.Empty(growth.Observe(Line(Classes.Of("p1", ClassStatus.Proposed, 11)), T0.AddMinutes(100)));
    }

    [Fact]
    public void Observe_AClassSeenForTheFirstTime_HasNoGrowthYet()
    {
        var growth = new ClassGrowth();

        Assert.Empty(growth.Observe(Line(Classes.Of("p1", ClassStatus.Proposed, 500)), T0));
    }

    private static LineSummary Line(params DefectClass[] classes) =>
        new("press-7", LineSettings.Empty, 0, 0, classes.Sum(c => c.RegionCount), classes, null, Array.Empty<ModelVersion>(), null);
}
