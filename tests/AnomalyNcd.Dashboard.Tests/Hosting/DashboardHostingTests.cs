using System.Net;
using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Core.Tests.Support;
using AnomalyNcd.Silo.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace AnomalyNcd.Dashboard.Tests.Hosting;

/// <summary>The dashboard as the product serves it: co-hosted with the silo and the API, in the host's default (Production) environment.</summary>
public sealed class DashboardHostingTests
{
    [Fact]
    public async Task Server_ServesTheOverviewWithTheLinesOfTheCluster()
    {
        using var data = TestData.NewTempFolder();
        await using var app = await StartAsync(data.Path, enableDashboard: true);
        await app.Services.GetRequiredService<IGrainFactory>().GetGrain<IProductLineGrain>("press-7").CreateAsync(LineSettings.Empty);
        using var client = new HttpClient { BaseAddress = new Uri(app.GetBoundUrl()) };

        var page = await client.GetAsync("/");
        var html = await page.Content.ReadAsStringAsync();
        await app.StopAsync();

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        // Prerendering ran the overview against the real grains.
        Assert.Contains("press-7", html);
        Assert.Contains("_content/MudBlazor/MudBlazor.min.css", html);
        Assert.Contains("_framework/blazor.web.js", html);
    }

    [Theory]
    [InlineData("/_content/MudBlazor/MudBlazor.min.css", "text/css")]
    [InlineData("/_content/MudBlazor/MudBlazor.min.js", "text/javascript")]
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
