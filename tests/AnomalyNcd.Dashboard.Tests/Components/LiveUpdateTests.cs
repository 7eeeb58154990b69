using AnomalyNcd.Contracts.Artefacts;
using AnomalyNcd.Contracts.Images;
using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Dashboard.Components.Pages;
using AnomalyNcd.Dashboard.Data;
using AnomalyNcd.Dashboard.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace AnomalyNcd.Dashboard.Tests.Components;

public sealed class LiveUpdateTests : DashboardTestContext
{
    [Fact]
    public async Task LineChanged_ShowsTheNewImageWithoutReload()
    {
        var line = new LineSummary("press-7", LineSettings.Empty, 1, 0, 0, [], null, [], Classes.At);
        var data = new FakeDashboardData(line, Image("img-1"));
        Services.AddSingleton<IDashboardData>(data);
        var cut = Render<LinePage>(p => p.Add(l => l.LineId, "press-7"));
        cut.WaitForAssertion(() => Assert.Contains("img-1", cut.Markup));

        data.AddImage(Image("img-2"));
        await Changes.RaiseAsync("press-7");

        cut.WaitForAssertion(() => Assert.Contains("img-2", cut.Markup), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void Dispose_UnsubscribesThePage()
    {
        var line = new LineSummary("press-7", LineSettings.Empty, 0, 0, 0, [], null, [], Classes.At);
        Services.AddSingleton<IDashboardData>(new FakeDashboardData(line));
        var cut = Render<LinePage>(p => p.Add(l => l.LineId, "press-7"));
        Assert.Equal(1, Changes.Count("press-7"));

        cut.Instance.Dispose();

        Assert.Equal(0, Changes.Count("press-7"));
    }

    private static ImageResult Image(string id) =>
        new("press-7", id, ImageStatus.Classified, new ArtefactRef("aa", "image", "png", 10), null, null, 10, 10, [], null, null, Classes.At, Classes.At, 1);
}
