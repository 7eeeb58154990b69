using AnomalyNcd.Dashboard.Components.Charts;
using AnomalyNcd.Dashboard.Tests.Support;
using Plotly.Blazor;
using Plotly.Blazor.Traces;

namespace AnomalyNcd.Dashboard.Tests.Components.Charts;

public sealed class ProcessingTimeChartTests : DashboardTestContext
{
    [Fact]
    public void Render_Images_PlotsEachTimedImageByCompletionTimeOldestFirst()
    {
        var later = Regions.Image("b", null, Classes.At.AddMinutes(1), 250);
        var earlier = Regions.Image("a", null, Classes.At, 40);
        var unmeasured = Regions.Image("c", null, Classes.At.AddMinutes(2), 0);

        var cut = Render<ProcessingTimeChart>(p => p.Add(x => x.Images, [later, earlier, unmeasured]));

        var trace = Assert.Single(cut.FindComponent<PlotlyChart>().Instance.Data.Cast<Scatter>());
        Assert.Equal(["2026-11-28 12:00:00.040", "2026-11-28 12:01:00.250"], trace.X.Cast<string>());
        Assert.Equal([40.0, 250.0], trace.Y.Cast<double>());
        Assert.Equal(["a", "b"], trace.TextArray);
    }
}
