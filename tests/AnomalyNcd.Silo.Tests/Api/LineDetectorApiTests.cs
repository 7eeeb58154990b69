using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Core.Detection;
using AnomalyNcd.Core.Features;
using AnomalyNcd.Grains.Detection;
using AnomalyNcd.Silo.Hosting;
using AnomalyNcd.Silo.Tests.Support;
using AnomalyNcd.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace AnomalyNcd.Silo.Tests.Api;

/// <summary>The API host with a detector fit small enough for a test (fp32 backbone, a quarter of the patches kept).</summary>
public sealed class DetectorHostFixture : ApiHostFixture
{
    protected override AnomalyNcdServerOptions Customize(AnomalyNcdServerOptions options) => options with
    {
        ConfigureSilo = silo => silo.Services.Configure<DetectorGrainOptions>(o => o.Fit = new PatchCoreOptions(CoresetFraction: 0.25, Precision: BackbonePrecision.Fp32)),
    };
}

/// <summary>A line learns its detector through the API: normal uploads, the fit job, versions, the audited promotion.</summary>
public sealed class LineDetectorApiTests(DetectorHostFixture host) : IClassFixture<DetectorHostFixture>
{
    private static readonly TimeSpan FitTimeout = TimeSpan.FromMinutes(3);

    [Theory]
    [InlineData("POST", "/api/lines/any/detector")]
    [InlineData("DELETE", "/api/lines/any/detector")]
    [InlineData("POST", "/api/lines/any/detectors/v1/promote")]
    public async Task DetectorChanges_AnonymousUnauthorizedViewerAndIngestForbidden(string method, string path)
    {
        using var anonymous = host.NewClient(null);
        using var viewer = host.NewClient(TestApiKeys.Viewer);
        using var ingest = host.NewClient(TestApiKeys.Ingest);

        await ApiHostFixture.AssertProblemAsync(await anonymous.SendAsync(new HttpRequestMessage(new HttpMethod(method), path)), 401);
        await ApiHostFixture.AssertProblemAsync(await viewer.SendAsync(new HttpRequestMessage(new HttpMethod(method), path)), 403);
        await ApiHostFixture.AssertProblemAsync(await ingest.SendAsync(new HttpRequestMessage(new HttpMethod(method), path)), 403);
    }

    [Fact]
    public async Task FitWithoutNormalImages_409SayingHowToUploadThem_AndNoJob()
    {
        await host.CreateLineAsync("fit-empty");

        var detail = await ApiHostFixture.AssertProblemAsync(await host.Client.PostAsync("/api/lines/fit-empty/detector", null), 409);

        Assert.Contains("normal=true", detail);
        Assert.Contains("ingest --normal", detail);
        var status = await host.Client.GetFromJsonAsync<JsonElement>("/api/lines/fit-empty/detector");
        Assert.Equal("Idle", status.GetProperty("state").GetString());
    }

    [Fact]
    public async Task FitOnAbsentLine_404()
    {
        await ApiHostFixture.AssertProblemAsync(await host.Client.PostAsync("/api/lines/fit-absent/detector", null), 404);
    }

    [Fact]
    public async Task PromoteUnknownVersion_404()
    {
        await host.CreateLineAsync("promote-unknown");

        var detail = await ApiHostFixture.AssertProblemAsync(await host.Client.PostAsync("/api/lines/promote-unknown/detectors/v9/promote", null), 404);

        Assert.Contains("v9", detail);
    }

    [Fact]
    public async Task NormalUploadsThenFit_NewVersionListedUnpromoted_ThenPromotionAudited()
    {
        await LearnDetectorAsync("learn-line");

        var listed = await host.Client.GetFromJsonAsync<JsonElement>("/api/lines/learn-line/detectors");
        var version = Assert.Single(listed.GetProperty("versions").EnumerateArray().ToArray());
        Assert.Equal("v1", version.GetProperty("version").GetString());
        Assert.Equal(NormalCount, version.GetProperty("normalImages").GetInt32());
        Assert.Contains("normal", version.GetProperty("calibration").GetString());
        Assert.Equal(JsonValueKind.Null, listed.GetProperty("promoted").ValueKind);

        var promoted = await host.Client.PostAsync("/api/lines/learn-line/detectors/v1/promote", null);

        Assert.Equal(HttpStatusCode.OK, promoted.StatusCode);
        listed = await host.Client.GetFromJsonAsync<JsonElement>("/api/lines/learn-line/detectors");
        Assert.Equal("v1", listed.GetProperty("promoted").GetString());
        Assert.Equal("test-operator", listed.GetProperty("versions")[0].GetProperty("promotedBy").GetString());
        // The line itself lists its detectors and which one is promoted.
        var line = (await host.Client.GetFromJsonAsync<JsonElement>("/api/lines/learn-line")).GetProperty("detectors");
        Assert.Equal("v1", line.GetProperty("promoted").GetString());
        Assert.Equal(NormalCount, line.GetProperty("normalImages").GetInt32());
        Assert.Equal("v1", Assert.Single(line.GetProperty("versions").EnumerateArray().ToArray()).GetProperty("version").GetString());
        var decisions = await host.Services.GetRequiredService<IGrainFactory>().GetGrain<IProductLineGrain>("learn-line").GetDecisionsAsync(0, 10);
        var audit = Assert.Single(decisions, d => d.Action == LineDetectorGrain.PromoteAction);
        Assert.Equal(("test-operator", string.Empty, "v1"), (audit.User, audit.Before, audit.After));
    }

    [Fact]
    public async Task RawUploadBeforeAPromotedDetector_409LearnADetectorFirst_NothingStoredNorListed()
    {
        await host.CreateLineAsync("raw-early");
        await host.Client.PostAsync("/api/lines/raw-early/images", NormalImageUploadTests.Normal(TestImages.NoisyPng(64, 64, 7), "good.png"));
        var before = host.ArtefactFiles();

        var single = await host.Client.PostAsync("/api/lines/raw-early/images", ApiHostFixture.Upload(TestImages.SurfacePng(64, 64, 8), "raw-1.png"));
        var batch = await host.Client.PostAsync("/api/lines/raw-early/images/batch", ApiHostFixture.Upload(TestImages.SurfacePng(64, 64, 9), "raw-2.png"));

        var detail = await ApiHostFixture.AssertProblemAsync(single, 409);
        Assert.Contains("learn a detector first: POST /api/lines/raw-early/detector", detail);
        var item = Assert.Single((await batch.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").EnumerateArray().ToArray());
        Assert.Equal(409, item.GetProperty("status").GetInt32());
        Assert.Contains("learn a detector first", item.GetProperty("problem").GetProperty("detail").GetString());
        Assert.Equal(before, host.ArtefactFiles());
        Assert.Equal(0, (await host.Client.GetFromJsonAsync<JsonElement>("/api/lines/raw-early/images")).GetArrayLength());
    }

    [Fact]
    public async Task PromotedDetector_RawUploadsScoredIntoAStoredMap_RegionsFound_MapUploadsAsBefore()
    {
        await LearnDetectorAsync("raw-line");
        Assert.Equal(HttpStatusCode.OK, (await host.Client.PostAsync("/api/lines/raw-line/detectors/v1/promote", null)).StatusCode);

        var single = await host.Client.PostAsync("/api/lines/raw-line/images", ApiHostFixture.Upload(TestImages.SurfacePng(96, 96, 200), "raw-1.png"));
        var batch = await host.Client.PostAsync("/api/lines/raw-line/images/batch", ApiHostFixture.Upload(TestImages.SurfacePng(96, 96, 201), "raw-2.png"));
        var withMap = await host.Client.PostAsync("/api/lines/raw-line/images", ApiHostFixture.Upload(TestImages.SurfacePng(96, 96, 202), "mapped.png", TestImages.MapPng(96, 96)));

        var body = await single.Content.ReadAsStringAsync();
        Assert.True(single.StatusCode == HttpStatusCode.Created, body);
        var result = JsonDocument.Parse(body).RootElement;
        var map = result.GetProperty("map");
        Assert.Equal(("map", "png"), (map.GetProperty("kind").GetString(), map.GetProperty("extension").GetString()));
        var sha = map.GetProperty("sha256").GetString()!;
        Assert.Contains(host.ArtefactFiles(), f => f.Contains(sha[2..], StringComparison.Ordinal));
        Assert.NotEqual(0, result.GetProperty("regions").GetArrayLength());
        var item = Assert.Single((await batch.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").EnumerateArray().ToArray());
        Assert.True(item.GetProperty("status").GetInt32() == 201, item.ToString());
        Assert.NotEqual(0, item.GetProperty("image").GetProperty("regions").GetArrayLength());
        Assert.Equal(HttpStatusCode.Created, withMap.StatusCode);
        var mapped = await withMap.Content.ReadFromJsonAsync<JsonElement>();
        Assert.NotEqual(sha, mapped.GetProperty("map").GetProperty("sha256").GetString());
        var listed = await host.Client.GetFromJsonAsync<JsonElement>("/api/lines/raw-line/images");
        Assert.Equal(3, listed.GetArrayLength());
    }

    [Fact]
    public async Task PromotedDetector_LineWithoutMapCalibration_RawNormalImageStoredWithNoRegion()
    {
        // A plant that sends raw images only never calibrates maps: the detector's own calibration is enough.
        var created = await host.Client.PostAsJsonAsync("/api/lines", new { id = "raw-normal" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await LearnDetectorAsync("raw-normal", create: false);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.PostAsync("/api/lines/raw-normal/detectors/v1/promote", null)).StatusCode);

        var response = await host.Client.PostAsync("/api/lines/raw-normal/images", ApiHostFixture.Upload(TestImages.NoisyPng(96, 96, 300), "clean.png"));

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        var result = JsonDocument.Parse(body).RootElement;
        Assert.Equal("NoAnomaly", result.GetProperty("status").GetString());
        Assert.Equal(0, result.GetProperty("regions").GetArrayLength());
    }

    private const int NormalCount = 5;

    [Fact]
    public async Task CancelRunningFit_Cancelled_NoVersionFromIt_TheLineCanFitAgain()
    {
        await UploadNormalsAsync("cancel-line");
        var started = await host.Client.PostAsync("/api/lines/cancel-line/detector", null);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);

        var cancelled = await host.Client.DeleteAsync("/api/lines/cancel-line/detector");

        var status = await cancelled.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Cancelled", status.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, status.GetProperty("detectorVersion").ValueKind);
        await FitAsync("cancel-line");
        var listed = await host.Client.GetFromJsonAsync<JsonElement>("/api/lines/cancel-line/detectors");
        Assert.Equal("v1", Assert.Single(listed.GetProperty("versions").EnumerateArray().ToArray()).GetProperty("version").GetString());
    }

    /// <summary>Uploads a few normal images, fits, and waits (polling the job) until the fit completed.</summary>
    private async Task LearnDetectorAsync(string line, bool create = true)
    {
        await UploadNormalsAsync(line, create);
        await FitAsync(line);
    }

    private async Task UploadNormalsAsync(string line, bool create = true)
    {
        if (create)
        {
            await host.CreateLineAsync(line);
        }

        for (var i = 0; i < NormalCount; i++)
        {
            var kept = await host.Client.PostAsync($"/api/lines/{line}/images", NormalImageUploadTests.Normal(TestImages.NoisyPng(96, 96, 100 + i), $"good-{i}.png"));
            Assert.Equal(HttpStatusCode.Created, kept.StatusCode);
        }
    }

    private async Task FitAsync(string line)
    {
        var started = await host.Client.PostAsync($"/api/lines/{line}/detector", null);
        Assert.True(started.StatusCode == HttpStatusCode.Accepted, await started.Content.ReadAsStringAsync());
        var done = await Eventually.Until(
            () => host.Client.GetFromJsonAsync<JsonElement>($"/api/lines/{line}/detector"),
            status => status.GetProperty("state").GetString() is not "Running",
            FitTimeout,
            $"the detector fit of line {line}");
        Assert.True(done.GetProperty("state").GetString() == "Completed", done.ToString());
        Assert.Equal("v1", done.GetProperty("detectorVersion").GetString());
    }
}
