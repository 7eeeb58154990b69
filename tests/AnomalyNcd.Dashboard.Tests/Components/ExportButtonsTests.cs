using AnomalyNcd.Dashboard.Components;
using AnomalyNcd.Dashboard.Tests.Support;

namespace AnomalyNcd.Dashboard.Tests.Components;

public sealed class ExportButtonsTests : DashboardTestContext
{
    [Fact]
    public void Render_OffersADownloadLinkToTheApiExportPerFormat()
    {
        var cut = Render<ExportButtons>(p => p.Add(b => b.LineId, "line a"));

        var links = cut.FindAll("a[data-testid^=export-]");
        Assert.Equal(["CSV", "JSON", "COCO"], links.Select(a => a.TextContent.Trim()));
        Assert.Equal(
            ["api/lines/line%20a/export?format=csv", "api/lines/line%20a/export?format=json", "api/lines/line%20a/export?format=coco"],
            links.Select(a => a.GetAttribute("href")));
        Assert.All(links, a => Assert.True(a.HasAttribute("download"), "an export link must download, not navigate"));
    }
}
