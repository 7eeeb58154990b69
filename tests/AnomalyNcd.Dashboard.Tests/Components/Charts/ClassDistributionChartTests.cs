using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Dashboard.Components.Charts;
using AnomalyNcd.Dashboard.Logic;
using AnomalyNcd.Dashboard.Tests.Support;
using Plotly.Blazor;
using Plotly.Blazor.Traces;

namespace AnomalyNcd.Dashboard.Tests.Components.Charts;

public sealed class ClassDistributionChartTests : DashboardTestContext
{
    [Fact]
    public void Render_Classes_DrawsOneBarPerClassLargestFirstInTheClassColours()
    {
        DefectClass[] classes = [Classes.Of("p1", ClassStatus.Proposed, 4), Classes.Of("c1", ClassStatus.Confirmed, 9, "Scratch"), Classes.Of("c2", ClassStatus.Confirmed, 1, "Dent")];

        var cut = Render<ClassDistributionChart>(p => p.Add(x => x.Classes, classes));

        var bar = Assert.Single(cut.FindComponent<PlotlyChart>().Instance.Data.Cast<Bar>());
        Assert.Equal(["Scratch", "proposed p1", "Dent"], bar.X.Cast<string>());
        Assert.Equal([9, 4, 1], bar.Y.Cast<int>());
        Assert.Equal([ClassPalette.For("c1"), ClassPalette.For("p1"), ClassPalette.For("c2")], bar.Marker.ColorArray.Cast<string>());
    }
}
