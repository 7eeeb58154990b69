using System.Net.Http.Json;
using System.Text.Json;
using AnomalyNcd.Contracts.Artefacts;
using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Contracts.Regions;
using AnomalyNcd.Contracts.Training;
using AnomalyNcd.Silo.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace AnomalyNcd.Silo.Tests.Api;

/// <summary>
/// <c>GET /api/lines/{line}/export</c>: each format checked against the stored results the API itself answers
/// (image list, regions), access rules and 400s. The line has three uploaded images; the regions of two are assigned to
/// a confirmed class ("Spot, dark", a comma to quote), the third's to a proposed one.
/// </summary>
public sealed class LineExportApiTests(ApiHostFixture host) : IClassFixture<ApiHostFixture>
{
    private const string Line = "export-line";
    private static readonly SemaphoreSlim Seeding = new(1, 1);
    private static bool seeded;

    [Fact]
    public async Task Csv_OneRowPerStoredImage_WithStatusAndRegionCount()
    {
        await SeedAsync();

        var response = await host.Client.GetAsync($"/api/lines/{Line}/export?format=csv");

        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"{Line}-export.csv", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var rows = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("image,capturedAt,status,class,className,confidence,regions", rows[0]);
        var stored = await StoredImagesAsync();
        Assert.Equal(stored.Length, rows.Length - 1);
        foreach (var image in stored)
        {
            var id = image.GetProperty("imageId").GetString()!;
            var fields = Assert.Single(rows, r => r.StartsWith(id + ",", StringComparison.Ordinal)).Split(',');
            Assert.Equal(image.GetProperty("status").GetString(), fields[2]);
            Assert.Equal(image.GetProperty("regions").GetArrayLength().ToString(System.Globalization.CultureInfo.InvariantCulture), fields[^1]);
        }
    }

    [Fact]
    public async Task Json_ImagesWithTheirRegions_AsTheRegionsEndpointHasThem()
    {
        await SeedAsync();

        var json = await host.Client.GetFromJsonAsync<JsonElement>($"/api/lines/{Line}/export?format=json");

        var images = json.GetProperty("images").EnumerateArray().ToArray();
        Assert.Equal((await StoredImagesAsync()).Length, images.Length);
        foreach (var image in images)
        {
            var id = image.GetProperty("image").GetString();
            var stored = await host.Client.GetFromJsonAsync<JsonElement>($"/api/lines/{Line}/images/{id}/regions");
            var regions = image.GetProperty("regions").EnumerateArray().ToArray();
            Assert.Equal(stored.GetArrayLength(), regions.Length);
            for (var i = 0; i < regions.Length; i++)
            {
                var classId = stored[i].GetProperty("classId").GetString();
                Assert.Equal(classId, regions[i].GetProperty("class").GetString());
                Assert.Equal(classId == "k0" ? "Spot, dark" : null, regions[i].GetProperty("className").GetString());
                Assert.Equal(stored[i].GetProperty("box").GetProperty("left").GetDouble(), regions[i].GetProperty("box").GetProperty("left").GetDouble());
                Assert.Equal(stored[i].GetProperty("area").GetInt32(), regions[i].GetProperty("area").GetInt32());
            }
        }
    }

    [Fact]
    public async Task Coco_ConfirmedClassRegionsOnly_WithTheCocoFields_BboxIsTheRegionBox()
    {
        await SeedAsync();

        var response = await host.Client.GetAsync($"/api/lines/{Line}/export?format=coco");

        Assert.Equal($"{Line}-export.coco.json", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var coco = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var category = Assert.Single(coco.GetProperty("categories").EnumerateArray());
        Assert.Equal("Spot, dark", category.GetProperty("name").GetString());
        var images = coco.GetProperty("images").EnumerateArray().ToArray();
        Assert.Equal(2, images.Length);
        var expected = new List<(string File, double[] Bbox, int Area)>();
        foreach (var id in new[] { "e-0", "e-1" })
        {
            var regions = await host.Client.GetFromJsonAsync<JsonElement>($"/api/lines/{Line}/images/{id}/regions");
            expected.AddRange(regions.EnumerateArray().Select(r =>
            {
                var box = r.GetProperty("box");
                double left = box.GetProperty("left").GetDouble(), up = box.GetProperty("up").GetDouble();
                return ($"{id}.png", new[] { left, up, box.GetProperty("right").GetDouble() - left, box.GetProperty("bottom").GetDouble() - up }, r.GetProperty("area").GetInt32());
            }));
        }

        var files = images.ToDictionary(i => i.GetProperty("id").GetInt32(), i =>
        {
            Assert.True(i.GetProperty("width").GetInt32() > 0 && i.GetProperty("height").GetInt32() > 0);
            return i.GetProperty("file_name").GetString()!;
        });
        var annotations = coco.GetProperty("annotations").EnumerateArray().Select(a =>
        {
            Assert.Equal(category.GetProperty("id").GetInt32(), a.GetProperty("category_id").GetInt32());
            Assert.Equal(0, a.GetProperty("iscrowd").GetInt32());
            Assert.True(a.GetProperty("id").GetInt32() > 0);
            return (files[a.GetProperty("image_id").GetInt32()], a.GetProperty("bbox").EnumerateArray().Select(v => v.GetDouble()).ToArray(), a.GetProperty("area").GetInt32());
        }).ToArray();
        Assert.Equal(
            expected.Select(e => $"{e.File} {string.Join(' ', e.Bbox)} {e.Area}").Order(),
            annotations.Select(a => $"{a.Item1} {string.Join(' ', a.Item2)} {a.Item3}").Order());
    }

    [Fact]
    public async Task Range_FiltersOnCaptureTime()
    {
        await SeedAsync();

        var future = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(1).ToString("O"));
        var past = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(-1).ToString("O"));
        var none = await host.Client.GetStringAsync($"/api/lines/{Line}/export?format=csv&from={future}");
        var all = await host.Client.GetStringAsync($"/api/lines/{Line}/export?format=csv&from={past}&to={future}");

        Assert.Single(none.Split("\r\n", StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(4, all.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task Access_ViewerMayExport_AnonymousIs401_UnknownLineIs404()
    {
        await SeedAsync();
        using var viewer = host.NewClient(TestApiKeys.Viewer);
        using var anonymous = host.NewClient(null);

        var asViewer = await viewer.GetAsync($"/api/lines/{Line}/export?format=json");

        Assert.True(asViewer.IsSuccessStatusCode, await asViewer.Content.ReadAsStringAsync());
        await ApiHostFixture.AssertProblemAsync(await anonymous.GetAsync($"/api/lines/{Line}/export?format=csv"), 401);
        Assert.Contains("no-such-line", await ApiHostFixture.AssertProblemAsync(await host.Client.GetAsync("/api/lines/no-such-line/export?format=csv"), 404));
    }

    [Theory]
    [InlineData("format=xml", "'format'")]
    [InlineData("", "'format'")]
    [InlineData("format=csv&from=not-a-date", "'from'")]
    [InlineData("format=csv&to=2026-02-30", "'to'")]
    [InlineData("format=csv&from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", "'from'")]
    public async Task InvalidFormatOrRange_Is400NamingTheParameter(string queryString, string named)
    {
        await SeedAsync();

        var response = await host.Client.GetAsync($"/api/lines/{Line}/export?{queryString}");

        Assert.Contains(named, await ApiHostFixture.AssertProblemAsync(response, 400));
    }

    private async Task<JsonElement[]> StoredImagesAsync() =>
        [.. (await host.Client.GetFromJsonAsync<JsonElement>($"/api/lines/{Line}/images?take=500")).EnumerateArray()];

    private async Task SeedAsync()
    {
        await Seeding.WaitAsync();
        try
        {
            if (seeded)
            {
                return;
            }

            await host.CreateLineAsync(Line);
            var grains = host.Services.GetRequiredService<IGrainFactory>();
            var line = grains.GetGrain<IProductLineGrain>(Line);
            await line.RegisterModelAsync(new ModelVersion(
                "v1", Line, new ArtefactRef(new string('a', 64), "checkpoint", "bin", 1),
                [new ModelClass(0, "k0", null, false, 0), new ModelClass(1, "k1", null, false, 0)], 0, null, null, null, DateTimeOffset.UtcNow, null, null));
            await line.ConfirmClassAsync("k0", "Spot, dark", "olga");
            for (var i = 0; i < 3; i++)
            {
                var response = await host.Client.PostAsync($"/api/lines/{Line}/images", ApiHostFixture.Upload(TestImages.SurfacePng(96, 96, 40 + i), $"e-{i}.png", TestImages.MapPng(96, 96), id: $"e-{i}"));
                Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
                var image = await response.Content.ReadFromJsonAsync<JsonElement>();
                var regions = image.GetProperty("regions").GetArrayLength();
                Assert.True(regions > 0, $"image e-{i} has no region to export");
                for (var r = 0; r < regions; r++)
                {
                    await grains.GetGrain<IRegionGrain>(new RegionKey(Line, $"e-{i}", r).GrainKey).AssignAsync(i < 2 ? "k0" : "k1", 0.8, "v1");
                }
            }

            seeded = true;
        }
        finally
        {
            Seeding.Release();
        }
    }
}
