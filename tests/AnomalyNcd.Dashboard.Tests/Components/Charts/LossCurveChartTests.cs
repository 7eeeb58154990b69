using AnomalyNcd.Dashboard.Components.Charts;
using Plotly.Blazor;
using Plotly.Blazor.Traces;

namespace AnomalyNcd.Dashboard.Tests.Components.Charts;

public sealed class LossCurveChartTests : DashboardTestContext
{
    [Fact]
    public void Render_TwoRuns_HandsPlotlyOneLinePerRunWithEpochsFromOne()
    {
        var cut = Render<LossCurveChart>(p => p.Add(x => x.Runs, [new LossRun("job-1", [2.5, 1.5, 1.0]), new LossRun("job-2", [3.0, 2.0])]));

        var traces = cut.FindComponent<PlotlyChart>().Instance.Data.Cast<Scatter>().ToList();
        Assert.Equal(["job-1", "job-2"], traces.Select(t => t.Name));
        Assert.Equal([1, 2, 3], traces[0].X.Cast<int>());
        Assert.Equal([2.5, 1.5, 1.0], traces[0].Y.Cast<double>());
        Assert.Equal([3.0, 2.0], traces[1].Y.Cast<double>());
    }

    [Fact]
    public void Render_ARunWithoutLoss_LeavesItOut()
    {
        var cut = Render<LossCurveChart>(p => p.Add(x => x.Runs, [new LossRun("empty", []), new LossRun("job-3", [0.7])]));

        var trace = Assert.Single(cut.FindComponent<PlotlyChart>().Instance.Data.Cast<Scatter>());
        Assert.Equal("job-3", trace.Name);
    }
}
