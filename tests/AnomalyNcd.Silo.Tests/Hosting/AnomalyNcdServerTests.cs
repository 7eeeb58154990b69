using AnomalyNcd.Silo.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.DependencyInjection;

namespace AnomalyNcd.Silo.Tests.Hosting;

public sealed class AnomalyNcdServerTests
{
    [Fact]
    public async Task BuildAsync_StartsOnAFreeLoopbackPortAndReportsTheUrl()
    {
        using var data = TestData.NewTempFolder();
        var options = new AnomalyNcdServerOptions { DataFolder = data.Path, HttpPort = 0, SiloPort = 0, GatewayPort = 0, Accelerator = "cpu" };
        await using var app = await AnomalyNcdServer.BuildAsync(options);

        await app.StartAsync();
        var url = new Uri(app.GetBoundUrl());
        using var client = new HttpClient { BaseAddress = url };
        var openApi = await client.GetAsync("/openapi/v1.json");
        await app.StopAsync();

        Assert.Equal("127.0.0.1", url.Host);
        Assert.NotEqual(0, url.Port);
        Assert.True(openApi.IsSuccessStatusCode);
        Assert.True(Directory.Exists(options.ArtefactFolder));
    }

    [Fact]
    public async Task BuildAsync_DoesNotWatchTheWorkingDirectoryForConfigurationChanges()
    {
        using var data = TestData.NewTempFolder();
        var options = new AnomalyNcdServerOptions { DataFolder = data.Path, HttpPort = 0, SiloPort = 0, GatewayPort = 0, Accelerator = "cpu" };
        await using var app = await AnomalyNcdServer.BuildAsync(options);

        var configuration = (IConfigurationRoot)app.Services.GetRequiredService<IConfiguration>();
        var files = configuration.Providers.OfType<FileConfigurationProvider>().ToList();

        // appsettings.json and appsettings.{Environment}.json are still read, once, at start.
        Assert.NotEmpty(files);
        Assert.All(files, file => Assert.False(file.Source.ReloadOnChange, $"{file} reloads on change"));
    }

    [Theory]
    [InlineData(-1, 0, "HttpPort")]
    [InlineData(0, 512, "MaxUploadBytes")]
    public void Validate_RefusesUnusableValuesNamingTheOption(int httpPort, long maxUpload, string option)
    {
        var options = new AnomalyNcdServerOptions { DataFolder = "/tmp/x", HttpPort = httpPort, MaxUploadBytes = maxUpload == 0 ? AnomalyNcdServerOptions.DefaultMaxUploadBytes : maxUpload };

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.StartsWith(option, error.Message);
    }
}
