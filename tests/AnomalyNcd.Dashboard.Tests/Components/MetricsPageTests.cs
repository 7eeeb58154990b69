using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Contracts.Training;
using AnomalyNcd.Dashboard.Components.Charts;
using AnomalyNcd.Dashboard.Components.Pages;
using AnomalyNcd.Dashboard.Data;
using AnomalyNcd.Dashboard.Logic;
using AnomalyNcd.Dashboard.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace AnomalyNcd.Dashboard.Tests.Components;

public sealed class MetricsPageTests : DashboardTestContext
{
    [Fact]
    public void Render_ShowsClusteringScoresBinarisationAndTheLossCurve()
    {
        SignIn("vera", DashboardRoles.Viewer);
        AddData();

        var cut = Render<MetricsPage>(p => p.Add(x => x.LineId, "press-7"));

        var rows = cut.WaitForElements("[data-testid=clustering-table] tbody tr");
        Assert.Contains("For engineers", cut.Markup);
        Assert.True(cut.Markup.IndexOf("model-verdicts", StringComparison.Ordinal) < cut.Markup.IndexOf("clustering-table", StringComparison.Ordinal));
        Assert.Equal(2, rows.Count);
        Assert.Contains("1.000", rows[0].TextContent);
        Assert.Contains("50.0", cut.Find("[data-testid=binarisation-table]").TextContent.Replace(",", "."));
        var loss = Assert.Single(cut.FindComponent<LossCurveChart>().Instance.Runs);
        Assert.Equal([2.5, 1.5, 1.0], loss.Loss);
        Assert.NotEmpty(cut.FindAll("[data-testid=loss-chart]"));
        Assert.NotEmpty(cut.FindAll("[data-testid=class-chart]"));
        Assert.NotEmpty(cut.FindAll("[data-testid=processing-chart]"));
        Assert.Contains("completed", cut.Find("[data-testid=training-state]").TextContent);
    }

    [Fact]
    public void Render_ForAViewer_ShowsPromoteDisabled()
    {
        SignIn("vera", DashboardRoles.Viewer);
        AddData();

        var cut = Render<MetricsPage>(p => p.Add(x => x.LineId, "press-7"));

        var buttons = cut.WaitForElements("[data-testid=promote]");
        Assert.Equal(2, buttons.Count);
        Assert.All(buttons, b => Assert.True(b.HasAttribute("disabled")));
        Assert.Contains("Read only", cut.Markup);
    }

    [Fact]
    public void Promote_ByAnOperator_PromotesTheChosenVersionInTheirName()
    {
        SignIn("otto", DashboardRoles.Operator);
        AddData();

        var cut = Render<MetricsPage>(p => p.Add(x => x.LineId, "press-7"));

        var newer = cut.WaitForElement("[data-version=v2] [data-testid=promote]");
        Assert.False(newer.HasAttribute("disabled"));
        Assert.True(cut.Find("[data-version=v1] [data-testid=promote]").HasAttribute("disabled"));
        newer.Click();
        cut.WaitForAssertion(() => Assert.Equal(["promote press-7/v2 by otto"], Decisions.Calls));
    }

    [Fact]
    public void Render_ShowsTheVerdictAndThePredictedClassAgainstOperatorDecisions()
    {
        SignIn("vera", DashboardRoles.Viewer);
        var mergedAt = Classes.At.AddHours(2);
        var quality = new FakeQualityData(new ClassDecision("press-7", "merge", "otto", mergedAt, """[{"ClassId":"c2"},{"ClassId":"c1"}]""", "[]"));
        var kept = Enumerable.Range(0, 60).Select(i => Regions.Image($"k{i}", null, Regions.Of($"k{i}", 0, "c1", 0.95)));
        var moved = Enumerable.Range(0, 5).Select(i => Regions.Image($"m{i}", null, Regions.Of($"m{i}", 0, "c1", 0.55) with { Decision = new("merge", "c1", "otto", mergedAt) }));
        var line = new LineSummary("press-7", LineSettings.Empty, 65, 65, 65, [Classes.Of("c1", ClassStatus.Confirmed, 65, "Scratch")], null, [], Classes.At);
        Services.AddSingleton<IDashboardData>(new FakeDashboardData(line, [.. kept, .. moved]) { Training = TrainingStatus.Idle("press-7") });
        Services.AddSingleton<IQualityData>(quality);

        var cut = Render<MetricsPage>(p => p.Add(x => x.LineId, "press-7"));

        cut.WaitForAssertion(() => Assert.Equal("ready", cut.Find("tr[data-version=v1] [data-testid=verdict]").TextContent.Trim()));
        Assert.Contains("ready: 65 decided regions and 92 % kept", cut.Find("[data-testid=verdict-reason]").TextContent);
        Assert.Equal("60", cut.Find("tr[data-class=c1] [data-verdict=kept]").TextContent);
        Assert.Equal("5", cut.Find("tr[data-class=c2] [data-verdict=moved]").TextContent);
        Assert.Equal(["press-7"], quality.Asked);
        Assert.NotEmpty(cut.FindAll("[data-testid=confidence-chart]"));
    }

    private FakeQualityData Quality { get; } = new();

    private void AddData()
    {
        var v1 = Models.Of("press-7", "v1", nmi: 0.8) with { PromotedAt = Classes.At, PromotedBy = "admin" };
        var v2 = Models.Of("press-7", "v2", nmi: 0.9) with { CreatedAt = Classes.At.AddHours(1) };
        var line = new LineSummary("press-7", LineSettings.Empty, 2, 1, 1, [Classes.Of("7", ClassStatus.Proposed, 1)], v1, [v1, v2], Classes.At);
        var data = new FakeDashboardData(line, Regions.Image("a", "scratch", Regions.Of("a", 0, "7", 0.9)), Regions.Image("b", "good"))
        {
            Training = new TrainingStatus("press-7", "job-1", TrainingState.Completed, 3, 3, 1, null, "v2", null, [2.5, 1.5, 1.0], Classes.At, Classes.At.AddMinutes(5)),
        };
        Services.AddSingleton<IDashboardData>(data);
        Services.AddSingleton<IQualityData>(Quality);
    }

    private void SignIn(string name, string role)
    {
        var auth = AddAuthorization();
        auth.SetAuthorized(name);
        auth.SetRoles(role);
    }
}
