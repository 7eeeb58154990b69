using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using AnomalyNcd.Silo.Hosting;
using AnomalyNcd.Silo.Tests.Support;

namespace AnomalyNcd.Silo.Tests.Api;

/// <summary>
/// <c>GET /metrics</c> of the real host: the Prometheus text format with the ingest stage histograms and counters,
/// open to anonymous callers as <c>/health</c> is.
/// </summary>
public sealed partial class MetricsEndpointTests(ApiHostFixture host) : IClassFixture<ApiHostFixture>
{
    [Fact]
    public async Task AfterOneUpload_MetricsHasTheStageHistogramsAndCounters()
    {
        await host.CreateLineAsync("metrics-line");
        var upload = await host.Client.PostAsync("/api/lines/metrics-line/images", ApiHostFixture.Upload(TestImages.SurfacePng(64, 64, 5), "m.png", TestImages.MapPng(64, 64)));
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);

        using var anonymous = host.NewClient(null);
        var response = await anonymous.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(response.Content.Headers.ContentType!.Parameters, p => p.Name == "version" && p.Value == "0.0.4");
        Assert.Contains("# TYPE anomalyncd_ingest_stage_duration_seconds histogram\n", text);
        foreach (var stage in new[] { "api.validate", "api.store-upload", "grain.process", "proc.mebin" })
        {
            Assert.True(Count(text, "anomalyncd_ingest_stage_duration_seconds_count", $"stage=\"{stage}\"") >= 1, $"no {stage} in:\n{text}");
            Assert.Contains($"anomalyncd_ingest_stage_duration_seconds_bucket{{stage=\"{stage}\",le=\"+Inf\"}}", text);
        }

        Assert.True(Count(text, "anomalyncd_ingest_images_total", "outcome=\"created\"") >= 1, text);
        Assert.Contains("# TYPE anomalyncd_ingest_regions_total counter\n", text);
        Assert.All(text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#')), line => Assert.Matches(SampleLine(), line));
    }

    [Fact]
    public async Task Metrics_StaysOpenToAnonymousCallers_LikeHealth()
    {
        using var anonymous = host.NewClient(null);
        using var viewer = host.NewClient(TestApiKeys.Viewer);

        var health = await anonymous.GetAsync("/health");
        var metrics = await anonymous.GetAsync("/metrics");
        var withKey = await viewer.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withKey.StatusCode);
    }

    [Fact]
    public async Task Host_WithoutKeys_RefusesEveryKeyAndStillServesMetrics()
    {
        using var data = TestData.NewTempFolder();
        var options = new AnomalyNcdServerOptions { DataFolder = data.Path, HttpPort = 0, SiloPort = 0, GatewayPort = 0, Accelerator = "cpu", EnableDashboard = false };
        await using var app = await AnomalyNcdServer.BuildAsync(options);
        await app.StartAsync();
        using var client = TestApiKeys.Authorize(new HttpClient { BaseAddress = new Uri(app.GetBoundUrl()) }, TestApiKeys.Admin);

        var lines = await client.GetAsync("/api/lines");
        var metrics = await client.GetAsync("/metrics");

        await ApiHostFixture.AssertProblemAsync(lines, 401);
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Equal("text/plain", metrics.Content.Headers.ContentType?.MediaType);
        await app.StopAsync();
    }

    /// <summary>The value of the sample <paramref name="name"/>{<paramref name="labels"/>}, or -1 when there is none.</summary>
    private static double Count(string text, string name, string labels)
    {
        var prefix = $"{name}{{{labels}}} ";
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
        return line is null ? -1 : double.Parse(line[prefix.Length..], CultureInfo.InvariantCulture);
    }

    // name{label="value",…} number: what the text format allows for a sample line.
    [GeneratedRegex("""^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*"(,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*")*\})? (\+Inf|-Inf|NaN|-?[0-9.eE+-]+)$""")]
    private static partial Regex SampleLine();
}
