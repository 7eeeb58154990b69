using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Dashboard.Components.Pages;
using AnomalyNcd.Dashboard.Data;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AnomalyNcd.Dashboard.Tests.Components;

public sealed class TrendsPageTests : DashboardTestContext
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 30, 0, TimeSpan.Zero);

    [Fact]
    public void Render_ShowsTheLastDaysActivityPerHour()
    {
        var trends = new FakeTrends([new ImageActivity(Now.AddHours(-1), true, ["k1"]), new ImageActivity(Now.AddHours(-1).AddMinutes(5), false, [])]);
        Services.AddSingleton<ILineTrends>(trends);
        Services.AddSingleton<TimeProvider>(new FakeTimeProvider(Now));

        var cut = Render<TrendsPage>(p => p.Add(x => x.LineId, "press-7"));

        var row = Assert.Single(cut.WaitForElements("[data-testid=trend-row]"));
        Assert.Contains("50.0", row.TextContent);
        Assert.Contains("k1: 1", row.TextContent);
        Assert.Equal((Now.AddHours(-24), Now), trends.Range);
        cut.Find("[data-testid=trend-chart]");
    }

    private sealed class FakeTrends(ImageActivity[] activity) : ILineTrends
    {
        public (DateTimeOffset From, DateTimeOffset To) Range { get; private set; }

        public Task<ImageActivity[]> GetActivityAsync(string lineId, DateTimeOffset from, DateTimeOffset to)
        {
            Range = (from, to);
            return Task.FromResult(activity);
        }
    }
}
