using System.Net.Http.Json;
using System.Text.Json;
using AnomalyNcd.Cli;
using AnomalyNcd.Silo.Hosting;
using AnomalyNcd.Silo.Security;
using OpenCvSharp;

namespace AnomalyNcd.Cli.Tests.Commands;

/// <summary><c>ingest</c> against a real host (silo + API) started in this process.</summary>
public sealed class IngestCommandTests
{
    // Creating and calibrating a line needs an operator; streaming into an existing line needs only an ingest key.
    private static readonly string OperatorKey = ApiKeyGrant.NewKey();
    private static readonly string IngestKey = ApiKeyGrant.NewKey();

    [Fact]
    public async Task Ingest_StreamsAFolderWithMapsAndReportsCounts()
    {
        using var temp = TestData.NewTempFolder();
        var images = temp.Combine("images");
        var maps = temp.Combine("maps");
        WriteFolder(images, maps, count: 6);
        File.WriteAllBytes(Path.Combine(images, "broken.png"), "not an image"u8.ToArray());
        await using var app = await StartHostAsync(temp.Combine("data"));
        var url = app.GetBoundUrl();

        var first = await Run("ingest", "--line", "ingest-line", "--dir", images, "--maps", maps, "--url", url, "--create-line", "--calibrate", "--concurrency", "3", "--api-key", OperatorKey);
        // The first run sends batches (the default); the second one image per request.
        var second = await Run("ingest", "--line", "ingest-line", "--dir", images, "--maps", maps, "--url", url, "--batch", "1", "--api-key", IngestKey);

        Assert.Equal(AnomalyNcdCli.ExitFailure, first.Code);
        Assert.Contains("created line 'ingest-line'", first.Out);
        Assert.Contains("sent 7, acknowledged 6 (6 new, 0 already present), rejected 1", first.Out);
        Assert.Contains("rejected " + Path.Combine(images, "broken.png") + ": 415", first.Out);
        Assert.Contains("images/s", first.Out);
        Assert.Contains("broken.png: no map", first.Error);
        Assert.Contains("acknowledged 6 (0 new, 6 already present)", second.Out);

        using var client = new HttpClient { BaseAddress = new Uri(url) };
        client.DefaultRequestHeaders.Add("X-Api-Key", IngestKey);
        var line = await client.GetFromJsonAsync<JsonElement>("/api/lines/ingest-line");
        Assert.Equal(0, line.GetProperty("settings").GetProperty("calibrationMin").GetDouble());
        Assert.Equal(250, line.GetProperty("settings").GetProperty("calibrationMax").GetDouble());
        var listed = await client.GetFromJsonAsync<JsonElement>("/api/lines/ingest-line/images?take=100");
        Assert.Equal(6, listed.GetArrayLength());
        await app.StopAsync();
    }

    [Fact]
    public async Task Ingest_UnknownLineWithoutCreate_FailsNamingTheOption()
    {
        using var temp = TestData.NewTempFolder();
        var images = temp.Combine("images");
        WriteFolder(images, null, count: 1);
        await using var app = await StartHostAsync(temp.Combine("data"));

        var run = await Run("ingest", "--line", "absent", "--dir", images, "--url", app.GetBoundUrl(), "--api-key", IngestKey);

        Assert.Equal(AnomalyNcdCli.ExitInvalidInput, run.Code);
        Assert.Contains("error: --line: line 'absent' does not exist", run.Error);
        await app.StopAsync();
    }

    [Fact]
    public async Task Ingest_WithoutAKey_FailsNamingTheApiKeyOption()
    {
        using var temp = TestData.NewTempFolder();
        var images = temp.Combine("images");
        WriteFolder(images, null, count: 1);
        await using var app = await StartHostAsync(temp.Combine("data"));

        var run = await Run("ingest", "--line", "any", "--dir", images, "--url", app.GetBoundUrl(), "--create-line");

        Assert.Equal(AnomalyNcdCli.ExitInvalidInput, run.Code);
        Assert.Contains("error: --api-key: the API at", run.Error);
        Assert.Contains("401", run.Error);
        await app.StopAsync();
    }

    [Fact]
    public async Task Ingest_WithAnIngestKey_CannotCreateALine()
    {
        using var temp = TestData.NewTempFolder();
        var images = temp.Combine("images");
        WriteFolder(images, null, count: 1);
        await using var app = await StartHostAsync(temp.Combine("data"));

        var run = await Run("ingest", "--line", "new-line", "--dir", images, "--url", app.GetBoundUrl(), "--create-line", "--api-key", IngestKey);

        Assert.NotEqual(AnomalyNcdCli.ExitOk, run.Code);
        Assert.Contains("403", run.Error);
        await app.StopAsync();
    }

    [Fact]
    public async Task IngestNormal_SendsTheFolderAsNormalImagesForTheDetector_NotAsLineImages()
    {
        using var temp = TestData.NewTempFolder();
        var images = temp.Combine("normals");
        WriteFolder(images, null, count: 3);
        await using var app = await StartHostAsync(temp.Combine("data"));
        var url = app.GetBoundUrl();

        var first = await Run("ingest", "--normal", "--line", "normal-line", "--dir", images, "--url", url, "--create-line", "--api-key", OperatorKey);
        var again = await Run("ingest", "--normal", "--line", "normal-line", "--dir", images, "--url", url, "--api-key", IngestKey);

        Assert.True(first.Code == AnomalyNcdCli.ExitOk, first.Out + first.Error);
        Assert.Contains("acknowledged 3 (3 new, 0 already present), rejected 0", first.Out);
        Assert.Contains("acknowledged 3 (0 new, 3 already present), rejected 0", again.Out);
        using var client = new HttpClient { BaseAddress = new Uri(url) };
        client.DefaultRequestHeaders.Add("X-Api-Key", IngestKey);
        var detectors = await client.GetFromJsonAsync<JsonElement>("/api/lines/normal-line/detectors");
        Assert.Equal(3, detectors.GetProperty("normalImages").GetInt32());
        Assert.Equal(0, (await client.GetFromJsonAsync<JsonElement>("/api/lines/normal-line/images")).GetArrayLength());
        await app.StopAsync();
    }

    [Fact]
    public async Task IngestNormal_WithMaps_IsRefused()
    {
        using var temp = TestData.NewTempFolder();

        var run = await Run("ingest", "--normal", "--line", "l", "--dir", temp.Path, "--maps", temp.Path);

        Assert.Equal(AnomalyNcdCli.ExitInvalidInput, run.Code);
        Assert.Contains("--normal: normal images are sent without maps", run.Error);
    }

    [Fact]
    public async Task Ingest_CalibrateWithoutMaps_IsRefused()
    {
        using var temp = TestData.NewTempFolder();

        var run = await Run("ingest", "--line", "l", "--dir", temp.Path, "--calibrate");

        Assert.Equal(AnomalyNcdCli.ExitInvalidInput, run.Code);
        Assert.Contains("--calibrate: needs --maps", run.Error);
    }

    private static async Task<Microsoft.AspNetCore.Builder.WebApplication> StartHostAsync(string dataFolder)
    {
        var app = await AnomalyNcdServer.BuildAsync(new AnomalyNcdServerOptions
        {
            DataFolder = dataFolder,
            HttpPort = 0,
            SiloPort = 0,
            GatewayPort = 0,
            Accelerator = "cpu",
            AllowCpuFallback = true,
            ApiKeys = [ApiKeyGrant.ForKey("cli-operator", ApiRoles.Operator, OperatorKey), ApiKeyGrant.ForKey("cli-ingest", ApiRoles.Ingest, IngestKey)],
        });
        await app.StartAsync();
        return app;
    }

    /// <summary>Images with a dark spot and 8-bit maps (values 0..250) with a bright disc there, named alike.</summary>
    private static void WriteFolder(string images, string? maps, int count)
    {
        Directory.CreateDirectory(images);
        for (var i = 0; i < count; i++)
        {
            var name = $"img-{i:D2}.png";
            using var image = new Mat(96, 96, MatType.CV_8UC1, Scalar.All(128));
            Cv2.Circle(image, new Point(20 + (i * 9), 48), 6, Scalar.All(20), -1);
            Cv2.ImWrite(Path.Combine(images, name), image);
            if (maps is not null)
            {
                Directory.CreateDirectory(maps);
                using var map = new Mat(96, 96, MatType.CV_8UC1, Scalar.All(0));
                Cv2.Circle(map, new Point(20 + (i * 9), 48), 8, Scalar.All(250), -1);
                Cv2.ImWrite(Path.Combine(maps, name), map);
            }
        }
    }

    private static async Task<(int Code, string Out, string Error)> Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await AnomalyNcdCli.RunAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
