using AnomalyNcd.Contracts.Images;
using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Contracts.Training;
using AnomalyNcd.Dashboard.Components.Pages;
using AnomalyNcd.Dashboard.Data;
using AnomalyNcd.Dashboard.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace AnomalyNcd.Dashboard.Tests.Components;

public sealed class ReviewPageTests : DashboardTestContext
{
    public ReviewPageTests() => Services.AddSingleton<IRegionDecisions>(new FakeRegionDecisions());

    [Fact]
    public void Render_ListsTheMostUncertainRegionsFirstWithCropsAndLinks()
    {
        var images = new[]
        {
            Regions.Image("new", null, Regions.Of("new", 0, "c1", 0.95), Regions.Of("new", 1, "c1", 0.6)),
            Regions.Image("old", null, Regions.Of("old", 0, null, 0), Regions.Of("old", 1, "p2", 0.3)),
        };
        Services.AddSingleton<IDashboardData>(new FakeDashboardData(Line(), images));

        var cut = Render<ReviewPage>(p => p.Add(x => x.LineId, "press-7"));

        var rows = cut.WaitForElements("[data-testid=review-table] tbody tr");
        Assert.Equal(["press-7/old/0", "press-7/old/1", "press-7/new/1"], rows.Select(r => r.GetAttribute("data-region")));
        Assert.Contains("/api/artefacts/crop-old-1", rows[1].InnerHtml);
        Assert.Contains("lines/press-7/images/old", rows[1].InnerHtml);
        Assert.Contains("lines/press-7/images/old/regions/1/similar", rows[1].InnerHtml);
        Assert.Contains("novel", rows[1].TextContent);
    }

    [Fact]
    public void Render_PagesALongQueue()
    {
        Services.AddSingleton(new DashboardOptions { PageSize = 5 });
        var images = Enumerable.Range(0, 12).Select(i => Regions.Image($"i{i:D2}", null, Regions.Of($"i{i:D2}", 0, "p2", i / 20.0))).ToArray();
        Services.AddSingleton<IDashboardData>(new FakeDashboardData(Line(), images));

        var cut = Render<ReviewPage>(p => p.Add(x => x.LineId, "press-7"));

        var rows = cut.WaitForElements("[data-testid=review-table] tbody tr");
        Assert.Equal(5, rows.Count);
        Assert.Equal("press-7/i00/0", rows[0].GetAttribute("data-region"));
        Assert.Contains("12 regions", cut.Markup);
        cut.Find("[data-testid=review-pages] button[aria-label='Page 3']").Click();
        cut.WaitForAssertion(() => Assert.Equal(["press-7/i10/0", "press-7/i11/0"],
            cut.FindAll("[data-testid=review-table] tbody tr").Select(r => r.GetAttribute("data-region"))));
    }

    private static LineSummary Line() =>
        new("press-7", LineSettings.Empty, 2, 2, 4,
            [Classes.Of("c1", ClassStatus.Confirmed, 2, "Scratch"), Classes.Of("p2", ClassStatus.Proposed, 1)], null, Array.Empty<ModelVersion>(), Classes.At);
}
