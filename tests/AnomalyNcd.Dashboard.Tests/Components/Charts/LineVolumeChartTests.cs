using AnomalyNcd.Dashboard.Components.Charts;
using AnomalyNcd.Dashboard.Logic;
using Plotly.Blazor;
using Plotly.Blazor.Traces;

namespace AnomalyNcd.Dashboard.Tests.Components.Charts;

public sealed class LineVolumeChartTests : DashboardTestContext
{
    [Fact]
    public void Render_Lines_DrawsImagesAndAnomalousImagesPerLine()
    {
        LineOverview[] lines =
        [
            new("press-7", 10, 5, 7, 1, 1, "idle", null, null),
            new("weld-2", 30, 3, 3, 0, 2, "idle", null, null),
        ];

        var cut = Render<LineVolumeChart>(p => p.Add(x => x.Lines, lines));

        var bars = cut.FindComponent<PlotlyChart>().Instance.Data.Cast<Bar>().ToList();
        Assert.Equal(["images", "anomalous images"], bars.Select(b => b.Name));
        Assert.All(bars, b => Assert.Equal(["press-7", "weld-2"], b.X.Cast<string>()));
        Assert.Equal([10, 30], bars[0].Y.Cast<int>());
        Assert.Equal([5, 3], bars[1].Y.Cast<int>());
        // The chart div is as high as the plot, so no blank band is left under it.
        Assert.Equal("height: 240px", cut.Find("[data-testid=lines-chart] > div").GetAttribute("style"));
    }
}
