using System.Net.Http.Json;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using AnomalyNcd.Silo.Hosting;
using AnomalyNcd.Silo.Security;
using AnomalyNcd.Silo.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace AnomalyNcd.Silo.Tests.Api;

/// <summary>
/// Every <c>/api</c> endpoint the running host maps (read from its endpoint data source, so a new endpoint is
/// covered without touching this test) answers each role as the access policy says, with problem details.
/// </summary>
public sealed partial class EndpointAuthorizationTests(ApiHostFixture host, ITestOutputHelper output) : IClassFixture<ApiHostFixture>
{
    // A line that does not exist: an allowed call then ends in 404/400/422 and changes nothing.
    private const string AbsentLine = "authz-absent";

    [Fact]
    public async Task EveryApiEndpoint_AnswersEachRoleAsThePolicySays()
    {
        var endpoints = ApiEndpoints();
        using var anonymous = host.NewClient(null);
        using var viewer = host.NewClient(TestApiKeys.Viewer);
        using var ingest = host.NewClient(TestApiKeys.Ingest);
        using var operatorClient = host.NewClient(TestApiKeys.Operator);
        var checkedCount = 0;
        foreach (var (method, pattern, multipart) in endpoints)
        {
            var path = Concrete(pattern);
            var mutating = method is not ("GET" or "HEAD" or "OPTIONS");
            var upload = method == "POST" && pattern.TrimEnd('/') is "/api/lines/{line}/images" or "/api/lines/{line}/images/batch";

            await ApiHostFixture.AssertProblemAsync(await SendAsync(anonymous, method, path, multipart), StatusCodes.Status401Unauthorized);
            if (mutating)
            {
                await ApiHostFixture.AssertProblemAsync(await SendAsync(viewer, method, path, multipart), StatusCodes.Status403Forbidden);
                var asIngest = await SendAsync(ingest, method, path, multipart);
                if (upload)
                {
                    AssertAllowed(asIngest, $"ingest {method} {path}");
                }
                else
                {
                    await ApiHostFixture.AssertProblemAsync(asIngest, StatusCodes.Status403Forbidden);
                }

                // Alarm rules are an admin's (issue 20): an operator is refused like a viewer.
                var asOperator = await SendAsync(operatorClient, method, path, multipart);
                if (method == "PUT" && pattern.TrimEnd('/') == "/api/lines/{line}/alarm-rules")
                {
                    await ApiHostFixture.AssertProblemAsync(asOperator, StatusCodes.Status403Forbidden);
                    using var admin = host.NewClient(TestApiKeys.Admin);
                    AssertAllowed(await SendAsync(admin, method, path, multipart), $"admin {method} {path}");
                }
                else
                {
                    AssertAllowed(asOperator, $"operator {method} {path}");
                }
            }
            else
            {
                AssertAllowed(await SendAsync(viewer, method, path, multipart), $"viewer {method} {path}");
                AssertAllowed(await SendAsync(ingest, method, path, multipart), $"ingest {method} {path}");
            }

            checkedCount++;
        }

        output.WriteLine($"checked {checkedCount} /api endpoints: {string.Join(", ", endpoints.Select(e => $"{e.Method} {e.Pattern}"))}");
        Console.WriteLine($"EndpointAuthorizationTests: checked {checkedCount} /api endpoints");
        // The API has at least lines, images, training, models and artefacts; fewer means the enumeration broke.
        Assert.True(checkedCount >= 10, $"only {checkedCount} /api endpoints found");
        Assert.Contains(endpoints, e => e.Method == "POST" && e.Pattern.TrimEnd('/') == "/api/lines/{line}/images");
        Assert.Contains(endpoints, e => e.Method == "POST" && e.Pattern.TrimEnd('/') == "/api/lines/{line}/images/batch");
    }

    [Fact]
    public async Task HealthAndOpenApi_StayOpenToAnonymousCallers()
    {
        using var anonymous = host.NewClient(null);

        var health = await anonymous.GetAsync("/health");
        var openApi = await anonymous.GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, openApi.StatusCode);
    }

    [Theory]
    [InlineData("X-Api-Key", "")]
    [InlineData("Authorization", "ApiKey ")]
    public async Task UnknownKey_IsRefusedWith401InEitherHeader(string header, string prefix)
    {
        using var client = host.NewClient(null);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/lines");
        request.Headers.TryAddWithoutValidation(header, prefix + ApiKeyGrant.NewKey());

        var detail = await ApiHostFixture.AssertProblemAsync(await client.SendAsync(request), StatusCodes.Status401Unauthorized);

        Assert.Contains("not recognised", detail);
    }

    [Fact]
    public async Task AuthorizationHeader_WithAKnownKey_IsAccepted()
    {
        using var client = host.NewClient(null);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/lines");
        request.Headers.TryAddWithoutValidation("Authorization", "ApiKey " + TestApiKeys.Viewer);

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Uploads_OverTheClientsRate_Get429WithRetryAfter_WhileOtherClientsPass()
    {
        using var data = TestData.NewTempFolder();
        await using var app = await StartRateLimitedHostAsync(data.Path, burst: 2);
        using var ingest = TestApiKeys.Authorize(new HttpClient { BaseAddress = new Uri(app.GetBoundUrl()) }, TestApiKeys.Ingest);
        using var other = TestApiKeys.Authorize(new HttpClient { BaseAddress = new Uri(app.GetBoundUrl()) }, TestApiKeys.Operator);

        var statuses = new List<int>();
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 4 && refused is null; i++)
        {
            var response = await ingest.PostAsync($"/api/lines/{AbsentLine}/images", ApiHostFixture.Upload(TestImages.SurfacePng(32, 32, 1), "a.png"));
            statuses.Add((int)response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                refused = response;
            }
        }

        var otherClient = await other.PostAsync($"/api/lines/{AbsentLine}/images", ApiHostFixture.Upload(TestImages.SurfacePng(32, 32, 1), "a.png"));
        var reads = await ingest.GetAsync("/api/lines");
        Assert.True(refused is not null, $"no 429 within 4 uploads: {string.Join(", ", statuses)}");
        var detail = await ApiHostFixture.AssertProblemAsync(refused!, StatusCodes.Status429TooManyRequests);
        Assert.Contains("key:test-ingest", detail);
        Assert.True(int.Parse(refused!.Headers.GetValues("Retry-After").Single()) >= 1);
        Assert.Equal(HttpStatusCode.NotFound, otherClient.StatusCode);
        Assert.Equal(HttpStatusCode.OK, reads.StatusCode);
        await app.StopAsync();
    }

    [Fact]
    public async Task BatchUpload_CountsEveryImageAgainstTheClientsRate()
    {
        using var data = TestData.NewTempFolder();
        await using var app = await StartRateLimitedHostAsync(data.Path, burst: 3);
        using var ingest = TestApiKeys.Authorize(new HttpClient { BaseAddress = new Uri(app.GetBoundUrl()) }, TestApiKeys.Ingest);
        using var operatorClient = TestApiKeys.Authorize(new HttpClient { BaseAddress = new Uri(app.GetBoundUrl()) }, TestApiKeys.Operator);
        var created = await operatorClient.PostAsJsonAsync("/api/lines", new { id = "rate-batch", calibrationMin = 0f, calibrationMax = 255f });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());

        // Two images fit the burst of three; the next batch of two does not (one token left), though it is one request.
        var first = await ingest.PostAsync("/api/lines/rate-batch/images/batch", TwoImages(1));
        var second = await ingest.PostAsync("/api/lines/rate-batch/images/batch", TwoImages(3));

        Assert.True(first.StatusCode == HttpStatusCode.OK, await first.Content.ReadAsStringAsync());
        var detail = await ApiHostFixture.AssertProblemAsync(second, StatusCodes.Status429TooManyRequests);
        Assert.Contains("2 image(s) refused", detail);
        Assert.True(int.Parse(second.Headers.GetValues("Retry-After").Single()) >= 1);
        await app.StopAsync();

        static MultipartFormDataContent TwoImages(int seed) => new()
        {
            { new ByteArrayContent(TestImages.SurfacePng(32, 32, seed)), "image", $"r{seed}.png" },
            { new ByteArrayContent(TestImages.SurfacePng(32, 32, seed + 1)), "image", $"r{seed + 1}.png" },
        };
    }

    [Fact]
    public async Task Host_WithoutKeys_RefusesEveryKeyAndStillServesHealth()
    {
        using var data = TestData.NewTempFolder();
        var options = new AnomalyNcdServerOptions { DataFolder = data.Path, HttpPort = 0, SiloPort = 0, GatewayPort = 0, Accelerator = "cpu", EnableDashboard = false };
        await using var app = await AnomalyNcdServer.BuildAsync(options);
        await app.StartAsync();
        using var client = TestApiKeys.Authorize(new HttpClient { BaseAddress = new Uri(app.GetBoundUrl()) }, TestApiKeys.Admin);

        var lines = await client.GetAsync("/api/lines");
        var health = await client.GetAsync("/health");

        await ApiHostFixture.AssertProblemAsync(lines, StatusCodes.Status401Unauthorized);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        await app.StopAsync();
    }

    /// <summary>A host of its own (the shared fixture has no rate limit): one upload per second per client after a burst.</summary>
    private static async Task<WebApplication> StartRateLimitedHostAsync(string dataFolder, int burst)
    {
        var app = await AnomalyNcdServer.BuildAsync(new AnomalyNcdServerOptions
        {
            DataFolder = dataFolder,
            HttpPort = 0,
            SiloPort = 0,
            GatewayPort = 0,
            Accelerator = "cpu",
            EnableDashboard = false,
            ApiKeys = TestApiKeys.Grants,
            UploadsPerSecondPerClient = 1,
            UploadBurstPerClient = burst,
        });
        await app.StartAsync();
        return app;
    }

    private void AssertAllowed(HttpResponseMessage response, string what) =>
        Assert.False(
            response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.TooManyRequests,
            $"{what}: expected to pass authorization, got {(int)response.StatusCode}");

    /// <summary>Method, route pattern and whether the endpoint accepts only multipart bodies (routing answers 415 to anything else).</summary>
    private List<(string Method, string Pattern, bool Multipart)> ApiEndpoints() =>
        [.. host.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(endpoint => endpoint.RoutePattern.RawText is { } raw && ("/" + raw.TrimStart('/')).StartsWith("/api/", StringComparison.Ordinal))
            .SelectMany(endpoint => (endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(method => (
                    method,
                    "/" + endpoint.RoutePattern.RawText!.TrimStart('/'),
                    endpoint.Metadata.GetMetadata<IAcceptsMetadata>()?.ContentTypes.Any(type => type.StartsWith("multipart/", StringComparison.Ordinal)) == true)))
            .Distinct()
            .OrderBy(e => e.Item2, StringComparer.Ordinal).ThenBy(e => e.method, StringComparer.Ordinal)];

    /// <summary>The pattern with every parameter filled: the absent line, else a harmless word (64 hex digits for a hash).</summary>
    private static string Concrete(string pattern) =>
        RouteParameter().Replace(pattern, match => match.Groups["name"].Value switch
        {
            "line" => AbsentLine,
            "sha256" => new string('0', 64),
            _ => "x1",
        });

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string method, string path, bool multipart)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (multipart)
        {
            request.Content = ApiHostFixture.Upload(TestImages.SurfacePng(32, 32, 1), "probe.png");
        }
        else if (method is "POST" or "PUT" or "PATCH")
        {
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        }

        return client.SendAsync(request);
    }

    [GeneratedRegex(@"\{\*{0,2}(?<name>[A-Za-z0-9_]+)[^}]*\}")]
    private static partial Regex RouteParameter();
}
