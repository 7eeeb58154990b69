using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Dashboard.Components;
using AnomalyNcd.Dashboard.Tests.Support;

namespace AnomalyNcd.Dashboard.Tests.Components;

public sealed class ClassGalleryTests : DashboardTestContext
{
    [Fact]
    public void Render_ShowsConfirmedClassesFirstThenTheLargest()
    {
        DefectClass[] classes =
        [
            Classes.Of("3", ClassStatus.Proposed, 80),
            Classes.Of("1", ClassStatus.Confirmed, 5, "Scratch"),
            Classes.Of("4", ClassStatus.Rejected, 200),
            Classes.Of("2", ClassStatus.Proposed, 120),
        ];

        var cut = Render<ClassGallery>(p => p
            .Add(g => g.LineId, "line-a")
            .Add(g => g.Classes, classes)
            .Add(g => g.ShowCrops, false));

        var shown = cut.FindAll("[data-testid=class-card]").Select(card => card.GetAttribute("data-class-id"));
        Assert.Equal(["1", "2", "3", "4"], shown);
        var labels = cut.FindAll("[data-testid=class-label]").Select(label => label.TextContent);
        Assert.Equal(["Scratch", "proposed 2", "proposed 3", "proposed 4"], labels);
    }

    [Fact]
    public void Render_PagesLargeCatalogues()
    {
        var classes = Enumerable.Range(0, 30).Select(i => Classes.Of($"c{i:00}", ClassStatus.Proposed, 100 - i)).ToArray();

        var cut = Render<ClassGallery>(p => p
            .Add(g => g.LineId, "line-a")
            .Add(g => g.Classes, classes)
            .Add(g => g.ShowCrops, false));

        var shown = cut.FindAll("[data-testid=class-card]");
        Assert.Equal(new DashboardOptions().PageSize, shown.Count);
        Assert.Equal("c00", shown[0].GetAttribute("data-class-id"));
    }
}
