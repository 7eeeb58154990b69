using System.Net.Http.Json;
using System.Text.Json;
using AnomalyNcd.Contracts.Artefacts;
using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Contracts.Regions;
using AnomalyNcd.Contracts.Training;
using AnomalyNcd.Dashboard.E2E.Support;
using Microsoft.Playwright;

namespace AnomalyNcd.Dashboard.E2E;

/// <summary>
/// A viewer signed in to the dashboard clicks each Export button on the line page and gets the download: the file
/// name the API gives and a body with the line's images (two uploads, their regions in one confirmed class).
/// </summary>
[Trait(TestCategories.Trait, TestCategories.Browser)]
[Collection(BrowserCollection.Name)]
public sealed class ExportDownloadTests
{
    private const string Line = "export-e2e";

    static ExportDownloadTests() => E2EUsers.Configure();

    [Fact]
    public async Task ViewerClicksEachExportButton_AndDownloadsTheLinesResults()
    {
        await using var host = await BrowserHost.StartAsync();
        await SeedAsync(host);
        var page = await host.SignInAsync(E2EUsers.ViewerName, E2EUsers.ViewerPassword);
        await BrowserHost.OpenAsync(page, $"{host.BaseUrl}/lines/{Line}", "[data-testid=export-csv]");

        var csv = await DownloadAsync(page, "csv", $"{Line}-export.csv");
        var rows = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("image,capturedAt,status,class,className,confidence,regions", rows[0]);
        Assert.Equal(["x-0", "x-1"], rows.Skip(1).Select(r => r.Split(',')[0]).Order());

        using var json = JsonDocument.Parse(await DownloadAsync(page, "json", $"{Line}-export.json"));
        var images = json.RootElement.GetProperty("images").EnumerateArray().ToArray();
        Assert.Equal(2, images.Length);
        Assert.All(images, i => Assert.Contains(i.GetProperty("regions").EnumerateArray(), r => r.GetProperty("className").GetString() == "Spot"));

        using var coco = JsonDocument.Parse(await DownloadAsync(page, "coco", $"{Line}-export.coco.json"));
        Assert.Equal("Spot", Assert.Single(coco.RootElement.GetProperty("categories").EnumerateArray()).GetProperty("name").GetString());
        Assert.Equal(2, coco.RootElement.GetProperty("images").GetArrayLength());
        Assert.NotEqual(0, coco.RootElement.GetProperty("annotations").GetArrayLength());
    }

    private static async Task<string> DownloadAsync(IPage page, string format, string fileName)
    {
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync($"[data-testid=export-{format}]"));
        Assert.Equal(fileName, download.SuggestedFilename);
        Assert.Null(await download.FailureAsync());
        return await File.ReadAllTextAsync(await download.PathAsync());
    }

    private static async Task SeedAsync(BrowserHost host)
    {
        var created = await host.Api.PostAsJsonAsync("/api/lines", new { id = Line, calibrationMin = 20f, calibrationMax = 240f });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        var line = host.Grains.GetGrain<IProductLineGrain>(Line);
        await line.RegisterModelAsync(new ModelVersion(
            "v1", Line, new ArtefactRef(new string('a', 64), "checkpoint", "bin", 1),
            [new ModelClass(0, "k0", null, false, 0)], 0, null, null, null, DateTimeOffset.UtcNow, null, null));
        await line.ConfirmClassAsync("k0", "Spot", E2EUsers.OperatorName);
        for (var i = 0; i < 2; i++)
        {
            var (image, map) = DefectImages.Spot(128, 128, 70 + i);
            var form = new MultipartFormDataContent
            {
                { new ByteArrayContent(image), "image", $"x-{i}.png" },
                { new ByteArrayContent(map), "map", "map.png" },
                { new StringContent($"x-{i}"), "id" },
            };
            var response = await host.Api.PostAsync($"/api/lines/{Line}/images", form);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            var regions = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("regions").GetArrayLength();
            Assert.True(regions > 0, $"image x-{i} has no region");
            for (var r = 0; r < regions; r++)
            {
                await host.Grains.GetGrain<IRegionGrain>(new RegionKey(Line, $"x-{i}", r).GrainKey).AssignAsync("k0", 0.8, "v1");
            }
        }
    }
}
