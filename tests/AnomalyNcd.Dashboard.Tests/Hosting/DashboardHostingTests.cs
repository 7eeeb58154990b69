using System.Net;
using System.Text.RegularExpressions;
using AnomalyNcd.Dashboard.Access;
using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Silo.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

using AnomalyNcd.Dashboard.Tests.Support;

namespace AnomalyNcd.Dashboard.Tests.Hosting;

/// <summary>The dashboard as the product serves it: co-hosted with the silo and the API, in the host's default (Production) environment.</summary>
[Collection(ProcessEnvironmentCollection.Name)]
public sealed class DashboardHostingTests
{
    private const string OperatorPassword = "op-pass-1";

    static DashboardHostingTests()
    {
        // The server reads its users from configuration (environment variables here); only this class starts servers.
        Environment.SetEnvironmentVariable("Dashboard__Users__0__Name", "otto");
        Environment.SetEnvironmentVariable("Dashboard__Users__0__Role", "operator");
        Environment.SetEnvironmentVariable("Dashboard__Users__0__PasswordHash", DashboardUserStore.Hash(OperatorPassword));
    }

    [Fact]
    public async Task Server_ServesTheOverviewWithTheLinesOfTheCluster()
    {
        using var data = TestData.NewTempFolder();
        await using var app = await StartAsync(data.Path, enableDashboard: true);
        await app.Services.GetRequiredService<IGrainFactory>().GetGrain<IProductLineGrain>("press-7").CreateAsync(LineSettings.Empty);
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(app.GetBoundUrl()) };

        var signIn = await DashboardSignIn.PostLoginAsync(client, "otto", OperatorPassword);
        var page = await client.GetAsync("/");
        var html = await page.Content.ReadAsStringAsync();
        await app.StopAsync();

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/", signIn.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        // Prerendering ran the overview against the real grains, for the signed-in user.
        Assert.Contains("press-7", html);
        Assert.Contains("otto", html);
        Assert.Contains("_content/MudBlazor/MudBlazor.min.css", html);
        Assert.Contains("_framework/blazor.web.js", html);
    }

    [Fact]
    public async Task Server_SendsAnonymousVisitorsToSignIn()
    {
        using var data = TestData.NewTempFolder();
        await using var app = await StartAsync(data.Path, enableDashboard: true);
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(app.GetBoundUrl()) };

        var page = await client.GetAsync("/lines/press-7");
        var login = await client.GetAsync("/account/login");
        await app.StopAsync();

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/account/login", page.Headers.Location?.PathAndQuery ?? page.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }

    [Fact]
    public async Task SignIn_WithAWrongPassword_IsRefusedAndSetsNoCookie()
    {
        using var data = TestData.NewTempFolder();
        await using var app = await StartAsync(data.Path, enableDashboard: true);
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(app.GetBoundUrl()) };

        var signIn = await DashboardSignIn.PostLoginAsync(client, "otto", "wrong");
        var page = await client.GetAsync("/");
        await app.StopAsync();

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.StartsWith("/account/login?error=1", signIn.Headers.Location?.OriginalString);
        Assert.False(signIn.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("AnomalyNcd.Dashboard=", StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
    }

    [Theory]
    [InlineData("/_content/MudBlazor/MudBlazor.min.css", "text/css")]
    [InlineData("/_content/MudBlazor/MudBlazor.min.js", "text/javascript")]
    [InlineData("/_content/Plotly.Blazor/plotly-interop-7.2.0.js", "text/javascript")]
    [InlineData("/_content/Plotly.Blazor/plotly-basic-3.7.0.min.js", "text/javascript")]
    [InlineData("/_framework/blazor.web.js", "text/javascript")]
    [InlineData("/_content/AnomalyNcd.Dashboard/dashboard.css", "text/css")]
    public async Task Server_ServesTheBrowserAssetsInProduction(string path, string contentType)
    {
        using var data = TestData.NewTempFolder();
        await using var app = await StartAsync(data.Path, enableDashboard: true);
        using var client = new HttpClient { BaseAddress = new Uri(app.GetBoundUrl()) };

        var asset = await client.GetAsync(path);
        var bytes = await asset.Content.ReadAsByteArrayAsync();
        await app.StopAsync();

        Assert.Equal("Production", app.Environment.EnvironmentName);
        Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
        Assert.Equal(contentType, asset.Content.Headers.ContentType?.MediaType);
        Assert.True(bytes.Length > 100, $"{path} has only {bytes.Length} bytes");
    }

    [Fact]
    public async Task Server_WithTheDashboardDisabled_ServesNoPages()
    {
        using var data = TestData.NewTempFolder();
        await using var app = await StartAsync(data.Path, enableDashboard: false);
        using var client = new HttpClient { BaseAddress = new Uri(app.GetBoundUrl()) };

        var page = await client.GetAsync("/");
        var css = await client.GetAsync("/_content/MudBlazor/MudBlazor.min.css");
        await app.StopAsync();

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, css.StatusCode);
    }

    private static async Task<WebApplication> StartAsync(string dataFolder, bool enableDashboard)
    {
        var options = new AnomalyNcdServerOptions
        {
            DataFolder = dataFolder,
            HttpPort = 0,
            SiloPort = 0,
            GatewayPort = 0,
            Accelerator = "cpu",
            EnableDashboard = enableDashboard,
        };
        var app = await AnomalyNcdServer.BuildAsync(options);
        await app.StartAsync();
        return app;
    }
}
