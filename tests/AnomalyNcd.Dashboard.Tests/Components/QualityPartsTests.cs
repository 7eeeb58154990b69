using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Dashboard.Components;
using AnomalyNcd.Dashboard.Components.Charts;
using AnomalyNcd.Dashboard.Logic;
using AnomalyNcd.Dashboard.Tests.Support;
using Bunit;

namespace AnomalyNcd.Dashboard.Tests.Components;

public sealed class QualityPartsTests : DashboardTestContext
{
    [Fact]
    public void ClassQualityTable_ShowsEachPredictedClassAgainstEachDecision()
    {
        var classes = ClassQuality.From(Outcomes.Of("c1", OperatorVerdict.Kept, 3, 0.95).Concat(Outcomes.Of("c1", OperatorVerdict.Moved, 1, 0.95))
            .Concat(Outcomes.Of("c2", OperatorVerdict.Rejected, 2, 0.35)));

        var cut = Render<ClassQualityTable>(p => p.Add(x => x.Classes, classes).Add(x => x.LineClasses, [Classes.Of("c1", ClassStatus.Confirmed, 4, "Scratch")]));

        var headers = cut.FindAll("[data-testid=confusion-table] thead th").Select(h => h.TextContent).ToList();
        Assert.Equal(["Predicted class", "Regions", "Median confidence bin", "kept", "moved", "rejected", "undecided", "Kept of decided"], headers);
        var c1 = cut.Find("tr[data-class=c1]");
        Assert.Contains("Scratch", c1.TextContent);
        Assert.Equal("3", c1.QuerySelector("[data-verdict=kept]")!.TextContent);
        Assert.Equal("1", c1.QuerySelector("[data-verdict=moved]")!.TextContent);
        Assert.Contains("75 %", c1.TextContent);
        Assert.Contains("0.9–1.0", c1.TextContent);
        var c2 = cut.Find("tr[data-class=c2]");
        Assert.Equal("2", c2.QuerySelector("[data-verdict=rejected]")!.TextContent);
        Assert.Contains("0.3–0.4", c2.TextContent);
    }

    [Fact]
    public void ClassQualityTable_WithoutClassifiedRegions_SaysSo()
    {
        var cut = Render<ClassQualityTable>(p => p.Add(x => x.Classes, []));

        Assert.NotNull(cut.Find("[data-testid=no-classified-regions]"));
        Assert.Empty(cut.FindAll("[data-testid=confusion-table]"));
    }

    [Fact]
    public void ModelVerdicts_ShowsTheVerdictItsReasonAndTheRule()
    {
        var verdicts = ModelReadiness.PerModel(Outcomes.Of("c1", OperatorVerdict.Kept, 60, model: "v2").Concat(Outcomes.Of("c3", OperatorVerdict.Moved, 60, model: "v1")));

        var cut = Render<ModelVerdicts>(p => p.Add(x => x.Verdicts, verdicts));

        Assert.Equal("needs review", cut.Find("tr[data-version=v1] [data-testid=verdict]").TextContent.Trim());
        Assert.Contains("0 % of 60 decided regions kept", cut.Find("tr[data-version=v1] [data-testid=verdict-reason]").TextContent);
        Assert.Equal("ready", cut.Find("tr[data-version=v2] [data-testid=verdict]").TextContent.Trim());
        Assert.Contains(ModelReadiness.Rule, cut.Find("[data-testid=readiness-rule]").TextContent);
    }

    [Fact]
    public void ConfidenceHistogram_HasOneSeriesPerClassWithItsBinCounts()
    {
        var classes = ClassQuality.From(Outcomes.Of("c1", OperatorVerdict.Kept, 2, 0.15).Concat(Outcomes.Of("c2", OperatorVerdict.Kept, 1, 0.85)));

        var cut = Render<ConfidenceHistogram>(p => p.Add(x => x.Classes, classes));

        Assert.NotNull(cut.Find("[data-testid=confidence-chart]"));
        var chart = cut.FindComponent<Plotly.Blazor.PlotlyChart>().Instance;
        Assert.Equal(2, chart.Data.Count);
        var first = Assert.IsType<Plotly.Blazor.Traces.Bar>(chart.Data[0]);
        Assert.Equal("c1", first.Name);
        Assert.Equal(2, first.Y[1]);
    }

    [Fact]
    public void ThroughputTable_ShowsARatePerWindow()
    {
        var throughput = new Throughput(141, ThroughputWindows.Rates(Enumerable.Repeat(Classes.At.AddMinutes(-20), 141), Classes.At), 12, 30);

        var cut = Render<ThroughputTable>(p => p.Add(x => x.Throughput, throughput));

        Assert.Contains("0.0 (0 images)", cut.Find("tr[data-window='15']").TextContent);
        Assert.Contains("141.0 (141 images)", cut.Find("tr[data-window='60']").TextContent);
        Assert.Contains("last 1 h", cut.Markup);
    }
}
