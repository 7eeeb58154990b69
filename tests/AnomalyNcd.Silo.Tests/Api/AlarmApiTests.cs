using System.Net.Http.Json;
using System.Text.Json;
using AnomalyNcd.Contracts.Images;
using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Contracts.Regions;
using AnomalyNcd.Silo.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace AnomalyNcd.Silo.Tests.Api;

/// <summary><c>GET /api/lines/{line}/alarms</c> and <c>GET/PUT /api/lines/{line}/alarm-rules</c> (issue 20).</summary>
public sealed class AlarmApiTests(ApiHostFixture host) : IClassFixture<ApiHostFixture>
{
    [Fact]
    public async Task PutRules_AsAdmin_StoresThemAndAViewerSeesTheAlarm()
    {
        const string line = "alarm-api-fires";
        await host.CreateLineAsync(line);
        var grains = host.Services.GetRequiredService<IGrainFactory>();
        await grains.GetGrain<IProductLineGrain>(line).RecordImagesAsync([Result(line, "a", "k1"), Result(line, "b")]);
        using var admin = host.NewClient(TestApiKeys.Admin);
        using var viewer = host.NewClient(TestApiKeys.Viewer);

        var put = await admin.PutAsJsonAsync($"/api/lines/{line}/alarm-rules", new object[] { new { kind = "AnomalyRate", thresholdPercent = 25, windowMinutes = 60 } });
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());

        var rules = await viewer.GetFromJsonAsync<JsonElement>($"/api/lines/{line}/alarm-rules");
        var alarms = await viewer.GetFromJsonAsync<JsonElement>($"/api/lines/{line}/alarms");
        Assert.Equal("AnomalyRate", rules[0].GetProperty("kind").GetString());
        var alarm = Assert.Single(alarms.EnumerateArray());
        Assert.Equal(50.0, alarm.GetProperty("measured").GetDouble(), 3);
        Assert.Equal(25.0, alarm.GetProperty("rule").GetProperty("thresholdPercent").GetDouble(), 3);
        Assert.True(alarm.TryGetProperty("since", out _));
        var audit = await grains.GetGrain<IProductLineGrain>(line).GetDecisionsAsync(0, 10);
        Assert.Contains(audit, d => d.Action == "alarm-rules" && d.After.Contains("AnomalyRate", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PutRules_InvalidRule_Is400NamingTheField()
    {
        await host.CreateLineAsync("alarm-api-invalid");
        using var admin = host.NewClient(TestApiKeys.Admin);

        var response = await admin.PutAsJsonAsync("/api/lines/alarm-api-invalid/alarm-rules", new object[] { new { kind = "ClassShare", thresholdPercent = 5 } });

        Assert.Contains("classId", await ApiHostFixture.AssertProblemAsync(response, 400));
    }

    [Fact]
    public async Task PutRules_AsOperator_Is403AndAnonymous401()
    {
        await host.CreateLineAsync("alarm-api-roles");
        using var anonymous = host.NewClient(null);
        object[] body = [new { kind = "NewClass" }];

        var asOperator = await host.Client.PutAsJsonAsync("/api/lines/alarm-api-roles/alarm-rules", body);
        var asAnonymous = await anonymous.PutAsJsonAsync("/api/lines/alarm-api-roles/alarm-rules", body);

        await ApiHostFixture.AssertProblemAsync(asOperator, 403);
        await ApiHostFixture.AssertProblemAsync(asAnonymous, 401);
        Assert.Empty(await RulesAsync("alarm-api-roles"));
    }

    [Fact]
    public async Task AlarmsAndRules_AnonymousReadIs401()
    {
        await host.CreateLineAsync("alarm-api-anonymous");
        using var anonymous = host.NewClient(null);

        await ApiHostFixture.AssertProblemAsync(await anonymous.GetAsync("/api/lines/alarm-api-anonymous/alarms"), 401);
        await ApiHostFixture.AssertProblemAsync(await anonymous.GetAsync("/api/lines/alarm-api-anonymous/alarm-rules"), 401);
    }

    [Fact]
    public async Task Alarms_UnknownLine_Is404()
    {
        Assert.Contains("no-such-alarm-line", await ApiHostFixture.AssertProblemAsync(await host.Client.GetAsync("/api/lines/no-such-alarm-line/alarms"), 404));
    }

    private Task<AlarmRule[]> RulesAsync(string line) =>
        host.Services.GetRequiredService<IGrainFactory>().GetGrain<IProductLineGrain>(line).GetAlarmRulesAsync();

    private static ImageResult Result(string lineId, string imageId, params string[] classes)
    {
        var png = new Contracts.Artefacts.ArtefactRef(new string('d', 64), "crop", "png", 10);
        return new ImageResult(
            lineId,
            imageId,
            classes.Length == 0 ? ImageStatus.NoAnomaly : ImageStatus.Classified,
            png,
            null,
            null,
            64,
            64,
            [.. classes.Select((c, i) => new RegionResult(new RegionKey(lineId, imageId, i), new RegionBox(0, 0, 10, 10), 50, 0.9, png, png, null, c, 0.9, "v1", null))],
            null,
            null,
            DateTimeOffset.UtcNow,
            DateTimeOffset.UtcNow,
            1.0);
    }
}
