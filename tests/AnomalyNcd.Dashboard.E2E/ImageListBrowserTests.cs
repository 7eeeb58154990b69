using System.Diagnostics;
using System.Net.Http.Json;
using AnomalyNcd.Contracts.Artefacts;
using AnomalyNcd.Contracts.Images;
using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Contracts.Regions;
using AnomalyNcd.Dashboard.E2E.Support;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace AnomalyNcd.Dashboard.E2E;

/// <summary>
/// The line page's image list in a real browser: uploaded images show as thumbnails with their regions outlined,
/// and a line of 100 000 recorded images opens filtered within a second (the line grain filters and pages).
/// </summary>
[Trait(TestCategories.Trait, TestCategories.Browser)]
[Collection(BrowserCollection.Name)]
public sealed class ImageListBrowserTests(ITestOutputHelper output)
{
    private const int LargeLineImages = 100_000;

    private const int Batch = 1_000;

    [Fact]
    public async Task LinePage_ShowsUploadedImagesAsThumbnailsWithTheirRegionsOutlined()
    {
        await using var host = await BrowserHost.StartAsync();
        const string line = "press-thumbs";
        var created = await host.Api.PostAsJsonAsync("/api/lines", new { id = line, calibrationMin = 20f, calibrationMax = 240f });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        await UploadAsync(host.Api, line, "spot-1", 1);
        var image = await Eventually.Until(
            () => host.Data.GetImageAsync(line, "spot-1"), i => i is { Regions.Length: > 0 }, TimeSpan.FromSeconds(60), "spot-1 to get a region", TimeSpan.FromMilliseconds(200));

        var page = await host.SignInAsync(E2EUsers.OperatorName, E2EUsers.OperatorPassword);
        await BrowserHost.OpenAsync(page, $"{host.BaseUrl}/lines/{line}", "[data-testid=thumbnail][data-image-id=spot-1] svg[data-testid=thumbnail-outlines]");

        var thumbnail = page.Locator("[data-testid=thumbnail][data-image-id=spot-1]");
        var outlines = thumbnail.Locator("svg[data-testid=thumbnail-outlines] rect:not([data-halo])");
        // The page re-reads its images on every live change of the line, so the counts are awaited, not sampled once.
        await Assertions.Expect(outlines).ToHaveCountAsync(image!.Regions.Length);
        await Assertions.Expect(thumbnail.Locator("rect[data-halo]")).ToHaveCountAsync(image.Regions.Length);
        await thumbnail.Locator("img").WaitForAsync();
        // Loaded, waited for (a visible img can still be fetching its picture on a loaded machine).
        await page.WaitForFunctionAsync("i => i.complete && i.naturalWidth > 0", await thumbnail.Locator("img").ElementHandleAsync());
        var picture = await thumbnail.Locator("img").BoundingBoxAsync();
        var overlay = await thumbnail.Locator("svg").BoundingBoxAsync();
        Assert.NotNull(picture);
        Assert.Equal((picture!.Width, picture.Height), (overlay!.Width, overlay.Height)); // the outlines lie on the picture
        await outlines.First.WaitForAsync();
        Assert.Contains("unclassified region", await thumbnail.Locator("[data-testid=thumbnail-label]").InnerTextAsync());
    }

    [Fact]
    public async Task LinePage_OfAHundredThousandImages_OpensFilteredWithinASecond()
    {
        await using var host = await BrowserHost.StartAsync();
        const string line = "press-100k";
        var seeding = Stopwatch.StartNew();
        await SeedAsync(host.Grains, line);
        output.WriteLine($"recorded {LargeLineImages} images into {line} in {seeding.Elapsed.TotalSeconds:F1} s");
        var page = await host.SignInAsync(E2EUsers.OperatorName, E2EUsers.OperatorPassword);

        var unfiltered = await FirstThumbnailAsync(page, $"{host.BaseUrl}/lines/{line}");
        Assert.Contains($"of {LargeLineImages} images", await page.Locator("[data-testid=image-count]").InnerTextAsync());
        // Three filtered visits; the fastest is held to the limit, so a burst of load from another process on the
        // two cores during one visit does not decide the outcome, while a page that is slow every time still fails.
        var visits = new List<long>();
        for (var visit = 0; visit < 3; visit++)
        {
            visits.Add(await FirstThumbnailAsync(page, $"{host.BaseUrl}/lines/{line}?class=k3&status=classified"));
        }

        var filtered = visits.Min();
        var count = await page.Locator("[data-testid=image-count]").InnerTextAsync();
        var first = await page.Locator("[data-testid=thumbnail]").First.GetAttributeAsync("data-image-id");
        output.WriteLine($"line page, {LargeLineImages} images: first thumbnail visible {unfiltered} ms after navigation unfiltered (first visit), {string.Join(" / ", visits)} ms filtered (class k3, classified; three visits)");
        output.WriteLine($"filtered list: {count}; first {first}");
        Assert.Contains($"of {LargeLineImages / 10} images", count);
        Assert.Equal($"img-{LargeLineImages - 7:D6}", first); // the newest image of class k3
        Assert.True(filtered <= 1000, $"the filtered line page took at best {filtered} ms to its first thumbnail (limit 1000 ms)");
    }

    private static async Task<long> FirstThumbnailAsync(IPage page, string url)
    {
        var clock = Stopwatch.StartNew();
        await page.GotoAsync(url, new() { WaitUntil = WaitUntilState.Commit });
        await page.Locator("[data-testid=thumbnail]").First.WaitForAsync(new() { State = WaitForSelectorState.Visible, Timeout = 30_000 });
        return clock.ElapsedMilliseconds;
    }

    /// <summary>100 000 results recorded straight into the line grain, a thousand per call; image i has one region of class k(i mod 10).</summary>
    private static async Task SeedAsync(IGrainFactory grains, string line)
    {
        var grain = grains.GetGrain<IProductLineGrain>(line);
        await grain.CreateAsync(LineSettings.Empty);
        var fake = new ArtefactRef(new string('f', 64), "crop", "png", 1);
        var start = DateTimeOffset.UtcNow.AddDays(-2);
        for (var from = 0; from < LargeLineImages; from += Batch)
        {
            var results = Enumerable.Range(from, Batch).Select(i =>
            {
                var imageId = $"img-{i:D6}";
                var at = start.AddSeconds(i);
                var region = new RegionResult(new RegionKey(line, imageId, 0), new RegionBox(10, 10, 40, 40), 900, 0.9, fake, fake, null, $"k{i % 10}", 0.5 + (i % 50) / 100.0, "v1", null);
                return new ImageResult(line, imageId, ImageStatus.Classified, fake, null, null, 128, 128, [region], null, null, at, at, 1);
            }).ToArray();
            await grain.RecordImagesAsync(results);
        }
    }

    private static async Task UploadAsync(HttpClient api, string line, string id, int seed)
    {
        var (image, map) = DefectImages.Spot(128, 128, seed);
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(image), "image", $"{id}.png" },
            { new ByteArrayContent(map), "map", "map.png" },
            { new StringContent(id), "id" },
        };
        var response = await api.PostAsync($"/api/lines/{line}/images", form);
        Assert.True(response.IsSuccessStatusCode, $"upload {id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}
