using System.Net.Http.Json;
using System.Text.Json;
using AnomalyNcd.Contracts.Artefacts;
using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Contracts.Training;
using Microsoft.Extensions.DependencyInjection;

namespace AnomalyNcd.Silo.Tests.Api;

/// <summary><c>POST /api/lines/{line}/reclassify</c>: a plant running <c>serve</c> re-classifies a line after a promotion.</summary>
public sealed class LineReclassifyApiTests(ApiHostFixture host) : IClassFixture<ApiHostFixture>
{
    [Fact]
    public async Task Reclassify_UnknownLine_Is404()
    {
        var response = await host.Client.PostAsync("/api/lines/no-such-line/reclassify", null);

        Assert.Contains("no-such-line", await ApiHostFixture.AssertProblemAsync(response, 404));
    }

    [Fact]
    public async Task Reclassify_WithoutAPromotedModel_Is409()
    {
        await host.CreateLineAsync("reclassify-unpromoted");

        var response = await host.Client.PostAsync("/api/lines/reclassify-unpromoted/reclassify", null);

        Assert.Contains("promoted", await ApiHostFixture.AssertProblemAsync(response, 409));
    }

    [Fact]
    public async Task Reclassify_AfterPromotion_AnswersTheRunUnderThePromotedModel()
    {
        const string line = "reclassify-promoted";
        await host.CreateLineAsync(line);
        var grains = host.Services.GetRequiredService<IGrainFactory>();
        await grains.GetGrain<IProductLineGrain>(line).RegisterModelAsync(new ModelVersion(
            "v7", line, new ArtefactRef(new string('a', 64), "checkpoint", "bin", 1), [new ModelClass(0, "k0", null, false, 0)], 0, null, null, null, DateTimeOffset.UtcNow, null, null));
        var promoted = await host.Client.PostAsync($"/api/lines/{line}/models/v7/promote", null);
        Assert.True(promoted.IsSuccessStatusCode, await promoted.Content.ReadAsStringAsync());

        var response = await host.Client.PostAsync($"/api/lines/{line}/reclassify", null);

        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var run = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("v7", run.GetProperty("modelVersion").GetString());
        Assert.Equal((0, 0, 0), (run.GetProperty("considered").GetInt32(), run.GetProperty("classified").GetInt32(), run.GetProperty("failed").GetInt32()));
    }
}
