using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Contracts.Training;
using AnomalyNcd.Dashboard.Components.Pages;
using AnomalyNcd.Dashboard.Data;
using AnomalyNcd.Dashboard.Tests.Support;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace AnomalyNcd.Dashboard.Tests.Components;

/// <summary>The image page's zoom, previous / next, capture time, halo and defect-free state.</summary>
public sealed class ImageViewerTests : DashboardTestContext
{
    public ImageViewerTests()
    {
        var images = new[]
        {
            Regions.Image("i3", null, Regions.Of("i3", 0, "c1", 0.9)),
            Regions.Image("i2", null, new DateTimeOffset(2026, 3, 1, 8, 30, 5, TimeSpan.Zero), 10),
            Regions.Image("i1", null, Regions.Of("i1", 0, "c1", 0.8)),
        };
        Services.AddSingleton<IDashboardData>(new FakeDashboardData(Line(), images));
    }

    [Fact]
    public void ZoomButtonsAndWheel_ScaleTheImageAndItsOutlines()
    {
        var cut = RenderImage("i3");
        var frame = cut.WaitForElement("[data-testid=zoom-frame]");
        Assert.Contains("scale(1)", frame.GetAttribute("style"));

        cut.Find("[data-testid=zoom-in]").Click();
        cut.WaitForAssertion(() => Assert.Contains("scale(1.25)", cut.Find("[data-testid=zoom-frame]").GetAttribute("style")));
        cut.Find("[data-testid=zoom-viewport]").TriggerEvent("onwheel", new Microsoft.AspNetCore.Components.Web.WheelEventArgs { DeltaY = -120 });
        cut.WaitForAssertion(() => Assert.Contains("scale(1.562)", cut.Find("[data-testid=zoom-frame]").GetAttribute("style")));
        Assert.Equal("156%", cut.Find("[data-testid=zoom-level]").TextContent.Trim());
    }

    [Fact]
    public void EachOutline_HasADarkAndALightHaloUnderIt()
    {
        var cut = RenderImage("i3");

        var rects = cut.WaitForElements("[data-testid=region-overlay] rect");
        Assert.Equal(["#000", "#fff"], rects.Take(2).Select(r => r.GetAttribute("stroke")));
        Assert.Equal("0", rects[2].GetAttribute("data-region"));
    }

    [Fact]
    public void PreviousAndNext_FollowTheLineOrderAndCarryTheFilter()
    {
        var cut = RenderImage("i2");
        cut.WaitForElement("[data-testid=image-next]");
        Assert.EndsWith("lines/press-7/images/i1", cut.Find("[data-testid=image-next]").GetAttribute("href"));
        Assert.EndsWith("lines/press-7/images/i3", cut.Find("[data-testid=image-previous]").GetAttribute("href"));

        var filtered = RenderImage("i3", query: "?class=c1");
        filtered.WaitForAssertion(() => Assert.EndsWith("lines/press-7/images/i1?class=c1", filtered.Find("[data-testid=image-next]").GetAttribute("href")));
    }

    [Fact]
    public void DefectFreeImage_SaysNoAnomalyFound_WithCaptureTimeAndNoRegionTable()
    {
        var cut = RenderImage("i2");

        var note = cut.WaitForElement("[data-testid=no-anomaly]");
        Assert.Contains("No anomaly found", note.TextContent);
        Assert.Empty(cut.FindAll("[data-testid=region-table]"));
        Assert.DoesNotContain("noanomaly", cut.Markup, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("2026-03-01 08:30:05 UTC", cut.Find("[data-testid=image-captured]").TextContent);
    }

    private IRenderedComponent<ImagePage> RenderImage(string imageId, string query = "")
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo($"lines/press-7/images/{imageId}{query}");
        return Render<ImagePage>(p => p.Add(i => i.LineId, "press-7").Add(i => i.ImageId, imageId));
    }

    private static LineSummary Line() =>
        new("press-7", LineSettings.Empty, 3, 2, 2, [Classes.Of("c1", ClassStatus.Confirmed, 2, "Scratch")], null, Array.Empty<ModelVersion>(), Classes.At);
}
