using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Contracts.Training;
using AnomalyNcd.Dashboard.Components.Pages;
using AnomalyNcd.Dashboard.Data;
using AnomalyNcd.Dashboard.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace AnomalyNcd.Dashboard.Tests.Components;

/// <summary>The overview as a control room: health, alarms and pending work per line, each a link.</summary>
public sealed class OverviewControlRoomTests : DashboardTestContext
{
    [Fact]
    public void Render_ALineInAlarm_ShowsTheAlarmWithItsValueAndTheHealth()
    {
        Services.AddSingleton<IDashboardData>(new FakeDashboardData(Line(proposed: 0)));
        Trends.Activity["press-7"] = [new ImageActivity(DateTimeOffset.UtcNow.AddMinutes(-5), true, ["k1"]), new ImageActivity(DateTimeOffset.UtcNow.AddMinutes(-4), false, [])];
        Alarms.Alarms["press-7"] = [new ActiveAlarm(new AlarmRule(AlarmKind.AnomalyRate, 25), "anomaly rate above 25 % in the last 60 min", 50, Classes.At)];

        var cut = Render<Overview>();

        var alarm = Assert.Single(cut.WaitForElements("[data-testid=line-alarm]"));
        Assert.Contains("anomaly rate above 25 %", alarm.TextContent);
        Assert.Contains("50.0 %", alarm.TextContent);
        Assert.Equal("lines/press-7/trends", alarm.QuerySelector("a")?.GetAttribute("href"));
        Assert.Equal("alarm", cut.Find("[data-testid=line-health]").TextContent.Trim());
        Assert.Contains("50.0 % last hour vs 50.0 % usual", cut.Find("[data-testid=line-rate]").TextContent);
    }

    [Fact]
    public void Render_PendingWork_LinksToWhereItIsHandled()
    {
        Services.AddSingleton<IDashboardData>(new FakeDashboardData(Line(proposed: 4)));

        var cut = Render<Overview>();

        var classes = cut.WaitForElement("[data-testid=classes-waiting]");
        var regions = cut.Find("[data-testid=regions-waiting]");
        Assert.Equal("lines/press-7", classes.GetAttribute("href"));
        Assert.Contains("1 waiting", classes.TextContent);
        Assert.Equal("lines/press-7/review", regions.GetAttribute("href"));
        Assert.Contains("4 to review", regions.TextContent);
        Assert.Equal("ok", cut.Find("[data-testid=line-health]").TextContent.Trim());
        Assert.Empty(cut.FindAll("[data-testid=line-alarm]"));
        Assert.Contains("no images in the last hour", cut.Find("[data-testid=line-rate]").TextContent);
    }

    private static LineSummary Line(int proposed) =>
        new("press-7", LineSettings.Empty, 10, 5, proposed + 3,
            proposed == 0 ? [Classes.Of("c1", ClassStatus.Confirmed, 3, "Scratch")] : [Classes.Of("p1", ClassStatus.Proposed, proposed), Classes.Of("c1", ClassStatus.Confirmed, 3, "Scratch")],
            null, Array.Empty<ModelVersion>(), Classes.At);
}
