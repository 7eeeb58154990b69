using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Dashboard.Components;
using AnomalyNcd.Dashboard.Data;
using AnomalyNcd.Dashboard.Tests.Support;
using Bunit;
using Microsoft.Extensions.DependencyInjection;

namespace AnomalyNcd.Dashboard.Tests.Components;

public sealed class LineImageListTests : DashboardTestContext
{
    private static readonly LineSummary Line = new("press-7", LineSettings.Empty, 3, 2, 3, [], null, [], Classes.At);

    private readonly FakeImageQuery query;

    public LineImageListTests()
    {
        var data = new FakeDashboardData(
            Line,
            Regions.Image("spot", null, Regions.Of("spot", 0, "c1", 0.87), Regions.Of("spot", 1, "c2", 0.4)),
            Regions.Image("clean", null),
            Regions.Image("fresh", null, Regions.Of("fresh", 0, null, 0)));
        Services.AddSingleton<IDashboardData>(data);
        query = new FakeImageQuery(data);
        Services.AddSingleton<IImageQuery>(query);
    }

    private IRenderedComponent<LineImageList> RenderList(string? classId = null) =>
        Render<LineImageList>(p => p
            .Add(l => l.LineId, "press-7")
            .Add(l => l.Classes, [Classes.Of("c1", ClassStatus.Confirmed, 1, "Dark spot"), Classes.Of("c2", ClassStatus.Proposed, 1)])
            .Add(l => l.ClassId, classId));

    [Fact]
    public void Thumbnails_OutlineEachRegionOverAHalo_WithTimeLabelAndConfidence()
    {
        var cut = RenderList();

        var spot = cut.WaitForElement("[data-testid=thumbnail][data-image-id=spot]");
        Assert.Equal(2, spot.QuerySelectorAll("svg[data-testid=thumbnail-outlines] rect[data-halo]").Length);
        Assert.Equal(["c1", "c2"], spot.QuerySelectorAll("rect[data-class-id]").Select(r => r.GetAttribute("data-class-id")));
        Assert.Equal("0 0 64 64", spot.QuerySelector("svg")!.GetAttribute("viewBox"));
        Assert.EndsWith("img-spot", spot.QuerySelector("img")!.GetAttribute("src"));
        Assert.Contains("Dark spot · 87%", spot.QuerySelector("[data-testid=thumbnail-label]")!.TextContent);
        Assert.Equal("2026-11-28 12:00:00", spot.QuerySelector("[data-testid=thumbnail-time]")!.TextContent.Trim());
        Assert.Contains("no anomaly found", cut.Find("[data-image-id=clean] [data-testid=thumbnail-label]").TextContent);
        Assert.Contains("1 unclassified region", cut.Find("[data-image-id=fresh] [data-testid=thumbnail-label]").TextContent);
        Assert.Contains("1–3 of 3 images", cut.Find("[data-testid=image-count]").TextContent);
    }

    [Fact]
    public void Filters_AskTheQueryFromTheFirstPage()
    {
        var cut = RenderList();
        cut.WaitForElement("[data-testid=thumbnail]");

        cut.Find("[data-testid=filter-status]").Change(nameof(ImageFilterStatus.NoAnomaly));
        cut.Find("[data-testid=filter-class]").Change("c1");
        cut.Find("[data-testid=filter-min]").Change("0.5");

        Assert.Equal(new ImageFilter("c1", ImageFilterStatus.NoAnomaly, 0.5), query.Queries[^1].Filter);
        Assert.Equal(0, query.Queries[^1].Skip);
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=thumbnail]")));
        Assert.Contains("No image matches", cut.Markup);
    }

    [Fact]
    public void ABadRange_ShowsTheProblem_AndDoesNotQuery()
    {
        var cut = RenderList();
        cut.WaitForElement("[data-testid=thumbnail]");
        cut.Find("[data-testid=filter-min]").Change("0.8");
        var asked = query.Queries.Count;

        cut.Find("[data-testid=filter-max]").Change("0.2");

        Assert.Contains("must not exceed", cut.Find("[data-testid=filter-problem]").TextContent);
        Assert.Equal(asked, query.Queries.Count);
    }

    [Fact]
    public void OnAClassPage_ListsThatClassOnly_WithoutAClassChoice()
    {
        var cut = RenderList("c2");

        cut.WaitForElement("[data-testid=thumbnail]");
        cut.Find("[data-testid=filter-status]").Change(nameof(ImageFilterStatus.Anomalous));

        Assert.All(query.Queries, q => Assert.Equal("c2", q.Filter.ClassId));
        Assert.Empty(cut.FindAll("[data-testid=filter-class]"));
        Assert.Equal(["spot"], cut.FindAll("[data-testid=thumbnail]").Select(t => t.GetAttribute("data-image-id")));
    }

    [Fact]
    public void Older_AsksForTheNextPage()
    {
        var options = Services.GetRequiredService<DashboardOptions>();
        options.PageSize = 2;
        var cut = RenderList();
        cut.WaitForElement("[data-testid=thumbnail]");

        cut.Find("[data-testid=older-images]").Click();

        Assert.Equal((2, 2), (query.Queries[^1].Skip, query.Queries[^1].Take));
        cut.WaitForAssertion(() => Assert.Equal(["fresh"], cut.FindAll("[data-testid=thumbnail]").Select(t => t.GetAttribute("data-image-id"))));
        Assert.True(cut.Find("[data-testid=older-images]").HasAttribute("disabled"));
    }

    [Fact]
    public void AQueryString_OpensTheListFiltered()
    {
        Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>().NavigateTo("/lines/press-7?class=c1&status=classified");

        var cut = RenderList();

        cut.WaitForElement("[data-testid=thumbnail]");
        Assert.Equal(new ImageFilter("c1", ImageFilterStatus.Classified), query.Queries[0].Filter);
    }
}
