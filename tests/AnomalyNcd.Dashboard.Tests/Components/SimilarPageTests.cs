using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Contracts.Training;
using AnomalyNcd.Dashboard.Components.Pages;
using AnomalyNcd.Dashboard.Data;
using AnomalyNcd.Dashboard.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace AnomalyNcd.Dashboard.Tests.Components;

public sealed class SimilarPageTests : DashboardTestContext
{
    private static readonly LineSummary Line =
        new("press-7", LineSettings.Empty, 3, 3, 4, [Classes.Of("c1", ClassStatus.Confirmed, 4, "Scratch")], null, Array.Empty<ModelVersion>(), Classes.At);

    [Fact]
    public void Render_ListsTheNearestRegionsByEmbeddingWithoutTheQuery()
    {
        var store = new FakeArtefactReader();
        var images = new[]
        {
            Regions.Image("q", null, Regions.Of("q", 0, "c1", 0.9, embedding: store.Add("e-q0", 1, 0))),
            Regions.Image("a", null, Regions.Of("a", 0, "c1", 0.9, embedding: store.Add("e-a0", 0, 1)), Regions.Of("a", 1, "c1", 0.9)),
            Regions.Image("b", null, Regions.Of("b", 0, "c1", 0.9, embedding: store.Add("e-b0", 0.9f, 0.1f))),
        };
        Services.AddSingleton<IDashboardData>(new FakeDashboardData(Line, images));
        Services.AddSingleton<IArtefactReader>(store);

        var cut = Render<SimilarPage>(p => p.Add(x => x.LineId, "press-7").Add(x => x.ImageId, "q").Add(x => x.Index, 0));

        var rows = cut.WaitForElements("[data-testid=similar-table] tbody tr");
        Assert.Equal(["press-7/b/0", "press-7/a/0"], rows.Select(r => r.GetAttribute("data-region")));
        Assert.Contains("0.994", rows[0].TextContent.Replace(",", "."));
        Assert.Contains("/api/artefacts/crop-b-0", rows[0].InnerHtml);
    }

    [Fact]
    public void Render_ARegionWithoutAnEmbedding_SaysWhyNothingIsListed()
    {
        Services.AddSingleton<IDashboardData>(new FakeDashboardData(Line, Regions.Image("q", null, Regions.Of("q", 0, "c1", 0.9))));

        var cut = Render<SimilarPage>(p => p.Add(x => x.LineId, "press-7").Add(x => x.ImageId, "q").Add(x => x.Index, 0));

        Assert.Contains("no stored embedding", cut.WaitForElement("[data-testid=similar-error]").TextContent);
    }
}
