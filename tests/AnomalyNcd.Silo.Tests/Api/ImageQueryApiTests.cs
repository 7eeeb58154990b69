using System.Net.Http.Json;
using System.Text.Json;

namespace AnomalyNcd.Silo.Tests.Api;

/// <summary>GET /api/lines/{line}/images with filter parameters (the line grain's <c>ImageFilter</c> rule); without them it lists as before.</summary>
public sealed class ImageQueryApiTests(ApiHostFixture host) : IClassFixture<ApiHostFixture>
{
    [Fact]
    public async Task FilterParameters_KeepOnlyMatchingImages_AndPlainListingIsUnchanged()
    {
        await host.CreateLineAsync("query-line");
        var upload = await host.Client.PostAsync("/api/lines/query-line/images", ApiHostFixture.Upload(TestImages.SurfacePng(128, 128, 3), "q-1.png", TestImages.MapPng(128, 128), id: "q-1"));
        Assert.True(upload.IsSuccessStatusCode, await upload.Content.ReadAsStringAsync());

        var all = await host.Client.GetFromJsonAsync<JsonElement>("/api/lines/query-line/images");
        var anyStatus = await host.Client.GetFromJsonAsync<JsonElement>("/api/lines/query-line/images?status=any&take=5");
        var otherClass = await host.Client.GetFromJsonAsync<JsonElement>("/api/lines/query-line/images?class=nosuch");
        var early = await host.Client.GetFromJsonAsync<JsonElement>("/api/lines/query-line/images?to=2000-01-01T00:00:00Z");

        Assert.Equal("q-1", all[0].GetProperty("imageId").GetString());
        Assert.Equal(1, anyStatus.GetArrayLength());
        Assert.Equal(0, otherClass.GetArrayLength());
        Assert.Equal(0, early.GetArrayLength());
    }

    [Theory]
    [InlineData("status=bogus", "status 'bogus'")]
    [InlineData("status=7", "status '7'")]
    [InlineData("minConfidence=0.9&maxConfidence=0.1", "must not exceed")]
    [InlineData("maxConfidence=3", "maxConfidence must be between 0 and 1")]
    [InlineData("class=no%20spaces", "class 'no spaces'")]
    [InlineData("from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z", "must be before")]
    public async Task BadFilters_Are400ProblemsNamingThem(string query, string expected)
    {
        await host.CreateLineAsync("query-bad");

        var response = await host.Client.GetAsync($"/api/lines/query-bad/images?{query}");

        Assert.Contains(expected, await ApiHostFixture.AssertProblemAsync(response, 400));
    }
}
