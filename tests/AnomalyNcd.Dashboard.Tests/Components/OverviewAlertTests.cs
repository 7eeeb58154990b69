using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Contracts.Training;
using AnomalyNcd.Dashboard.Components.Pages;
using AnomalyNcd.Dashboard.Data;
using AnomalyNcd.Dashboard.Logic;
using AnomalyNcd.Dashboard.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace AnomalyNcd.Dashboard.Tests.Components;

public sealed class OverviewAlertTests : DashboardTestContext
{
    [Fact]
    public void Render_AProposedClassThatGrew_ShowsAPossibleNewDefectClass()
    {
        var growth = new ClassGrowth(TimeSpan.FromHours(1), minGrowth: 3);
        growth.Observe(Line(proposed: 2, confirmed: 5), DateTimeOffset.UtcNow.AddMinutes(-10));
        Services.AddSingleton(growth);
        Services.AddSingleton<IDashboardData>(new FakeDashboardData(Line(proposed: 9, confirmed: 30)));

        var cut = Render<Overview>();

        var alert = Assert.Single(cut.WaitForElements("[data-testid=new-class-alert]"));
        Assert.Contains("proposed class p1", alert.TextContent);
        Assert.Contains("grew by 7 regions", alert.TextContent);
        Assert.DoesNotContain("c1", alert.TextContent);
    }

    [Fact]
    public void Render_WithoutGrowth_ShowsNoAlert()
    {
        Services.AddSingleton<IDashboardData>(new FakeDashboardData(Line(proposed: 9, confirmed: 30)));

        var cut = Render<Overview>();

        cut.WaitForElement("[data-testid=lines-table]");
        Assert.Empty(cut.FindAll("[data-testid=new-class-alert]"));
    }

    private static LineSummary Line(int proposed, int confirmed) =>
        new("press-7", LineSettings.Empty, 10, 5, proposed + confirmed,
            [Classes.Of("p1", ClassStatus.Proposed, proposed), Classes.Of("c1", ClassStatus.Confirmed, confirmed, "Scratch")], null, Array.Empty<ModelVersion>(), Classes.At);
}
