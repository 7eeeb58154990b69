using System.Net.Http.Json;
using AnomalyNcd.Contracts.Artefacts;
using AnomalyNcd.Contracts.Images;
using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Contracts.Regions;
using AnomalyNcd.Contracts.Training;
using AnomalyNcd.Dashboard.E2E.Support;
using AnomalyNcd.Silo.Tests.Api;
using Microsoft.Playwright;

namespace AnomalyNcd.Dashboard.E2E;

/// <summary>The review queue's bulk confirm and the image page's zoom and next, in a real browser.</summary>
[Trait(TestCategories.Trait, TestCategories.Browser)]
[Collection(BrowserCollection.Name)]
public sealed class ReviewAndImageTests
{
    private const string Line = "press-review";

    [Fact]
    public async Task ReviewQueue_BulkConfirmOfTwoRegions_TheyLeaveTheQueueAndTheAuditHasBoth()
    {
        await using var host = await BrowserHost.StartAsync();
        var images = await SeedAsync(host);
        var first = images[0].Regions[0].Key;
        var second = images[1].Regions[0].Key;
        var page = await host.SignInAsync(E2EUsers.OperatorName, E2EUsers.OperatorPassword);

        await BrowserHost.OpenAsync(page, $"{host.BaseUrl}/lines/{Line}/review", "[data-testid=review-table]");
        await page.Locator($"tr[data-region='{first}'] [data-testid=select-region]").CheckAsync();
        await page.Locator($"tr[data-region='{second}'] [data-testid=select-region]").CheckAsync();
        await page.GetByText("2 selected").WaitForAsync();
        await page.ClickAsync("[data-testid=bulk-confirm]");

        await page.Locator($"tr[data-region='{first}']").WaitForAsync(new() { State = WaitForSelectorState.Detached });
        await page.Locator($"tr[data-region='{second}']").WaitForAsync(new() { State = WaitForSelectorState.Detached });
        var audit = await host.Grains.GetGrain<IProductLineGrain>(Line).GetDecisionsAsync(0, 50);
        var confirmed = audit.Where(d => d.Action.Contains("confirm", StringComparison.OrdinalIgnoreCase)).Select(d => d.User).ToList();
        Assert.Equal([E2EUsers.OperatorName, E2EUsers.OperatorName], confirmed);
        var kept = await host.Grains.GetGrain<IRegionGrain>(second.GrainKey).GetAsync();
        Assert.Equal(E2EUsers.OperatorName, kept?.Decision?.User);
    }

    [Fact]
    public async Task ImagePage_ZoomGrowsTheImage_AndNextOpensTheFollowingImage()
    {
        await using var host = await BrowserHost.StartAsync();
        await SeedAsync(host);
        var ids = await host.Data.ListImagesAsync(Line, 0, 10);
        var page = await host.SignInAsync(E2EUsers.ViewerName, E2EUsers.ViewerPassword);

        await BrowserHost.OpenAsync(page, $"{host.BaseUrl}/lines/{Line}/images/{ids[0]}", "[data-testid=image-main]");
        var image = page.Locator("[data-testid=image-main]");
        // Waits until the picture has loaded, as the user would before zooming.
        await page.WaitForFunctionAsync("() => { const i = document.querySelector('[data-testid=image-main]'); return i && i.complete && i.naturalWidth > 0; }");
        var before = (await image.BoundingBoxAsync())!;
        await ZoomInOnceAsync(page);
        var after = await Eventually.Until(
            async () => (await image.BoundingBoxAsync())!.Width, w => w > before.Width * 1.2, TimeSpan.FromSeconds(10), $"the image to grow from {before.Width} px", TimeSpan.FromMilliseconds(100));
        Assert.True(before.Width > 0 && after > before.Width * 1.2, $"{before.Width} px → {after} px");

        var firstSource = await image.GetAttributeAsync("src");
        await page.ClickAsync("[data-testid=image-next]");
        await page.GetByText($"Image {ids[1]}").WaitForAsync();
        Assert.EndsWith($"/lines/{Line}/images/{ids[1]}", page.Url);
        Assert.NotEqual(firstSource, await page.Locator("[data-testid=image-main]").GetAttributeAsync("src"));
    }

    /// <summary>One zoom step to 125 %: the page is live (OpenAsync waited for it), so one click must act.</summary>
    private static async Task ZoomInOnceAsync(IPage page)
    {
        await page.ClickAsync("[data-testid=zoom-in]");
        await Assertions.Expect(page.Locator("[data-testid=zoom-level]")).ToHaveTextAsync("125%");
    }

    /// <summary>Two spot images uploaded with maps; a registered model's proposed classes c0 and c1 assigned to their regions.</summary>
    private static async Task<ImageResult[]> SeedAsync(BrowserHost host)
    {
        var created = await host.Api.PostAsJsonAsync("/api/lines", new { id = Line, calibrationMin = 20f, calibrationMax = 240f });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        for (var i = 0; i < 2; i++)
        {
            var (png, map) = DefectImages.Spot(128, 128, i + 3);
            var form = new MultipartFormDataContent
            {
                { new ByteArrayContent(png), "image", $"rv-{i}.png" },
                { new ByteArrayContent(map), "map", "map.png" },
                { new StringContent($"rv-{i}"), "id" },
            };
            var response = await host.Api.PostAsync($"/api/lines/{Line}/images", form);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }

        var line = host.Grains.GetGrain<IProductLineGrain>(Line);
        await line.RegisterModelAsync(new ModelVersion(
            "v1", Line, new ArtefactRef(new string('0', 64), "checkpoint", "bin", 1),
            [new ModelClass(0, "c0", null, false, 1), new ModelClass(1, "c1", null, false, 1)],
            2, null, null, null, DateTimeOffset.UtcNow, null, null));
        var seeded = new ImageResult[2];
        for (var i = 0; i < 2; i++)
        {
            var image = (await Eventually.Until(
                () => host.Data.GetImageAsync(Line, $"rv-{i}"), r => r is { Regions.Length: > 0 }, TimeSpan.FromSeconds(60), $"rv-{i} to get a region", TimeSpan.FromMilliseconds(200)))!;
            var classId = $"c{i}";
            await line.RecordImageAsync(image with { Regions = [.. image.Regions.Select(r => r with { ClassId = classId, Confidence = 0.6 })] });
            foreach (var region in image.Regions)
            {
                await host.Grains.GetGrain<IRegionGrain>(region.Key.GrainKey).AssignAsync(classId, 0.6, "v1");
            }

            seeded[i] = image;
        }

        return seeded;
    }
}
