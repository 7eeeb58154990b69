using AnomalyNcd.Contracts.Artefacts;
using AnomalyNcd.Contracts.Images;
using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Contracts.Regions;
using AnomalyNcd.Dashboard.Components.Pages;
using AnomalyNcd.Dashboard.Data;
using AnomalyNcd.Dashboard.Logic;
using AnomalyNcd.Dashboard.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace AnomalyNcd.Dashboard.Tests.Components;

public sealed class ImagePageTests : DashboardTestContext
{
    [Fact]
    public void Render_DrawsEachRegionBoxInItsClassColourAndNamesTheLabel()
    {
        var image = new ImageResult(
            "press-7", "img-1", ImageStatus.Classified, Artefact("aa"), null, null, 400, 200,
            [Region(0, new RegionBox(10, 20, 60, 70), "c1"), Region(1, new RegionBox(100, 50, 180, 130), null)],
            new ImageLabel("c1", null, 0.8, new Dictionary<string, double> { ["c1"] = 0.8, ["c2"] = 0.2 }),
            null, Classes.At, Classes.At, 12);
        var line = new LineSummary("press-7", LineSettings.Empty, 1, 1, 2,
            [Classes.Of("c1", ClassStatus.Confirmed, 1, "Scratch"), Classes.Of("c2", ClassStatus.Proposed, 0)], null, [], Classes.At);
        Services.AddSingleton<IDashboardData>(new FakeDashboardData(line, image));

        var cut = Render<ImagePage>(p => p.Add(i => i.LineId, "press-7").Add(i => i.ImageId, "img-1"));

        var boxes = cut.WaitForElements("[data-testid=region-overlay] rect[data-region]");
        Assert.Equal("0 0 400 200", cut.Find("[data-testid=region-overlay]").GetAttribute("viewBox"));
        Assert.Equal<string>(["10", "20", "50", "50", ClassPalette.For("c1")], Attributes(boxes[0]));
        Assert.Equal<string>(["100", "50", "80", "80", ClassPalette.Unassigned], Attributes(boxes[1]));
        Assert.Contains("Scratch", cut.Find("[data-testid=image-label]").TextContent);
        Assert.Equal(2, cut.FindAll("[data-testid=region-table] tbody tr").Count);
        Assert.Contains("/api/artefacts/aa", cut.Markup);
    }

    private static string[] Attributes(AngleSharp.Dom.IElement rect) =>
        new[] { "x", "y", "width", "height", "stroke" }.Select(name => rect.GetAttribute(name) ?? "(missing)").ToArray();

    private static ArtefactRef Artefact(string sha) => new(sha, "image", "png", 10);

    private static RegionResult Region(int index, RegionBox box, string? classId) =>
        new(new RegionKey("press-7", "img-1", index), box, 100, 0.9, Artefact($"crop{index}"), Artefact($"mask{index}"), null, classId, classId is null ? 0 : 0.8, null, null);
}
