using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace AnomalyNcd.Silo.Tests.Api;

/// <summary>The happy path through the real host and the real grains: line, upload with map, result, regions, artefacts.</summary>
public sealed class ImageUploadTests(ApiHostFixture host) : IClassFixture<ApiHostFixture>
{
    [Fact]
    public async Task UploadImageWithMap_Returns201WithResultAndLocation()
    {
        await host.CreateLineAsync("upload-line");

        var response = await host.Client.PostAsync("/api/lines/upload-line/images", ApiHostFixture.Upload(TestImages.SurfacePng(128, 128, 1), "part-001.png", TestImages.MapPng(128, 128)));

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        Assert.Equal("/api/lines/upload-line/images/part-001", response.Headers.Location?.OriginalString);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("part-001", json.RootElement.GetProperty("imageId").GetString());
        Assert.Equal(128, json.RootElement.GetProperty("width").GetInt32());
        Assert.Equal(JsonValueKind.String, json.RootElement.GetProperty("status").ValueKind);
        Assert.NotEqual(JsonValueKind.Null, json.RootElement.GetProperty("map").ValueKind);

        var fetched = await host.Client.GetFromJsonAsync<JsonElement>("/api/lines/upload-line/images/part-001");
        Assert.Equal(json.RootElement.GetProperty("image").GetProperty("sha256").GetString(), fetched.GetProperty("image").GetProperty("sha256").GetString());
        var regions = await host.Client.GetFromJsonAsync<JsonElement>("/api/lines/upload-line/images/part-001/regions");
        Assert.Equal(JsonValueKind.Array, regions.ValueKind);
        Assert.Equal(json.RootElement.GetProperty("regions").GetArrayLength(), regions.GetArrayLength());
        var listed = await host.Client.GetFromJsonAsync<JsonElement>("/api/lines/upload-line/images?skip=0&take=10");
        Assert.Contains(listed.EnumerateArray(), image => image.GetProperty("imageId").GetString() == "part-001");
    }

    [Fact]
    public async Task UploadSameBytesAgain_Returns200WithTheStoredResult()
    {
        await host.CreateLineAsync("repeat-line");
        var image = TestImages.SurfacePng(96, 96, 2);

        var first = await host.Client.PostAsync("/api/lines/repeat-line/images", ApiHostFixture.Upload(image, "a.png", TestImages.MapPng(96, 96), id: "same"));
        var second = await host.Client.PostAsync("/api/lines/repeat-line/images", ApiHostFixture.Upload(image, "a.png", TestImages.MapPng(96, 96), id: "same"));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var firstJson = await first.Content.ReadFromJsonAsync<JsonElement>();
        var secondJson = await second.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(firstJson.GetProperty("receivedAt").GetString(), secondJson.GetProperty("receivedAt").GetString());
    }

    [Fact]
    public async Task GetArtefact_ReturnsTheUploadedBytesByHash()
    {
        await host.CreateLineAsync("artefact-line");
        var image = TestImages.SurfacePng(64, 64, 3);
        var response = await host.Client.PostAsync("/api/lines/artefact-line/images", ApiHostFixture.Upload(image, "x.png", TestImages.MapPng(64, 64)));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var result = await response.Content.ReadFromJsonAsync<JsonElement>();
        var hash = result.GetProperty("image").GetProperty("sha256").GetString();

        var served = await host.Client.GetAsync($"/api/artefacts/{hash}");

        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("image/png", served.Content.Headers.ContentType?.MediaType);
        Assert.Equal(image, await served.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task CreateAndListLines_ShowsSettingsWithCalibration()
    {
        await host.CreateLineAsync("listed-line");
        var update = await host.Client.PutAsJsonAsync("/api/lines/listed-line/settings", new { calibrationMin = 0.5f, calibrationMax = 9.5f, classCount = 4 });
        Assert.Equal(HttpStatusCode.OK, update.StatusCode);

        var lines = await host.Client.GetFromJsonAsync<JsonElement>("/api/lines");

        var line = Assert.Single(lines.EnumerateArray(), l => l.GetProperty("lineId").GetString() == "listed-line");
        Assert.Equal(9.5, line.GetProperty("settings").GetProperty("calibrationMax").GetDouble());
        Assert.Equal(4, line.GetProperty("settings").GetProperty("classCount").GetInt32());
        var classes = await host.Client.GetFromJsonAsync<JsonElement>("/api/lines/listed-line/classes");
        Assert.Equal(JsonValueKind.Array, classes.ValueKind);
    }

    [Fact]
    public async Task OpenApiDocument_DescribesTheUploadEndpoint()
    {
        var document = await host.Client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var paths = document.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/lines/{line}/images", out var upload), "the OpenAPI document lacks the image upload path");
        Assert.True(upload.TryGetProperty("post", out _));
        Assert.True(paths.TryGetProperty("/api/lines/{line}/models/{version}/promote", out _));
    }
}
