using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using AnomalyNcd.Dashboard.Access;
using AnomalyNcd.Silo.Hosting;
using Microsoft.AspNetCore.Builder;

using AnomalyNcd.Dashboard.Tests.Support;

namespace AnomalyNcd.Dashboard.Tests.Hosting;

/// <summary>
/// The API next to a co-hosted dashboard: a signed-in user's cookie carries its role into <c>/api</c>, refusals are
/// problem details (never a redirect to the login page), and the login form post needs its antiforgery token.
/// </summary>
[Collection(ProcessEnvironmentCollection.Name)]
public sealed class DashboardApiAccessTests
{
    private const string OperatorPassword = "op-pass-1";
    private const string ViewerPassword = "view-pass-1";

    static DashboardApiAccessTests()
    {
        // Same user 0 as DashboardHostingTests (both classes set it alike); user 1 is this class's viewer.
        Environment.SetEnvironmentVariable("Dashboard__Users__0__Name", "otto");
        Environment.SetEnvironmentVariable("Dashboard__Users__0__Role", "operator");
        Environment.SetEnvironmentVariable("Dashboard__Users__0__PasswordHash", DashboardUserStore.Hash(OperatorPassword));
        Environment.SetEnvironmentVariable("Dashboard__Users__1__Name", "vera");
        Environment.SetEnvironmentVariable("Dashboard__Users__1__Role", "viewer");
        Environment.SetEnvironmentVariable("Dashboard__Users__1__PasswordHash", DashboardUserStore.Hash(ViewerPassword));
    }

    [Fact]
    public async Task SignedInViewer_ReadsTheApiButGets403ProblemOnChanges()
    {
        using var data = TestData.NewTempFolder();
        await using var app = await StartAsync(data.Path);
        using var client = NewClient(app);

        var signIn = await DashboardSignIn.PostLoginAsync(client, "vera", ViewerPassword);
        var read = await client.GetAsync("/api/lines");
        var change = await client.PostAsJsonAsync("/api/lines", new { id = "by-viewer" });
        await app.StopAsync();

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        await AssertProblemAsync(change, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task SignedInOperator_ChangesThroughTheApi()
    {
        using var data = TestData.NewTempFolder();
        await using var app = await StartAsync(data.Path);
        using var client = NewClient(app);

        await DashboardSignIn.PostLoginAsync(client, "otto", OperatorPassword);
        var created = await client.PostAsJsonAsync("/api/lines", new { id = "by-operator", calibrationMin = 0f, calibrationMax = 255f });
        await app.StopAsync();

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }

    [Fact]
    public async Task AnonymousApiCall_Gets401ProblemNotALoginRedirect()
    {
        using var data = TestData.NewTempFolder();
        await using var app = await StartAsync(data.Path);
        using var client = NewClient(app);

        var read = await client.GetAsync("/api/lines");
        var upload = await client.PostAsync("/api/lines/any/images", new MultipartFormDataContent { { new ByteArrayContent([1, 2, 3]), "image", "a.png" } });
        await app.StopAsync();

        await AssertProblemAsync(read, HttpStatusCode.Unauthorized);
        await AssertProblemAsync(upload, HttpStatusCode.Unauthorized);
        Assert.Null(read.Headers.Location);
    }

    [Fact]
    public async Task LoginPost_WithoutTheAntiforgeryToken_IsRefusedAndSetsNoCookie()
    {
        using var data = TestData.NewTempFolder();
        await using var app = await StartAsync(data.Path);
        using var client = NewClient(app);

        var post = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["user"] = "otto",
            ["password"] = OperatorPassword,
            ["returnUrl"] = "/",
        }));
        var api = await client.GetAsync("/api/lines");
        await app.StopAsync();

        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
        Assert.False(post.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("AnomalyNcd.Dashboard=", StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(body);
        Assert.Equal((int)status, json.RootElement.GetProperty("status").GetInt32());
    }

    private static HttpClient NewClient(WebApplication app) =>
        new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(app.GetBoundUrl()) };

    private static async Task<WebApplication> StartAsync(string dataFolder)
    {
        var app = await AnomalyNcdServer.BuildAsync(new AnomalyNcdServerOptions
        {
            DataFolder = dataFolder,
            HttpPort = 0,
            SiloPort = 0,
            GatewayPort = 0,
            Accelerator = "cpu",
            EnableDashboard = true,
        });
        await app.StartAsync();
        return app;
    }
}
