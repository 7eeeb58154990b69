using System.Diagnostics;
using System.Net.Http.Json;
using System.Security.Claims;
using AnomalyNcd.Contracts;
using AnomalyNcd.Contracts.Artefacts;
using AnomalyNcd.Contracts.Images;
using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Contracts.Training;
using AnomalyNcd.Core.Discovery;
using AnomalyNcd.Core.Training;
using AnomalyNcd.Dashboard.Access;
using AnomalyNcd.Dashboard.Data;
using AnomalyNcd.Dashboard.E2E.Support;
using AnomalyNcd.Grains.Training;
using AnomalyNcd.Silo.Hosting;
using AnomalyNcd.Silo.Tests.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace AnomalyNcd.Dashboard.E2E;

/// <summary>
/// The operator loop in a real browser (Debian Chromium driven by Playwright) against the real co-hosted server:
/// silo with embedded SQLite, HTTP API and dashboard, synthetic images uploaded through the API. The loop closes:
/// the operator's confirmed class becomes a base class of a retrained (tiny) model, and once that model is promoted
/// a new image of the confirmed kind is labelled with the confirmed name.
/// </summary>
[Trait(TestCategories.Trait, TestCategories.Browser)]
[Collection(BrowserCollection.Name)]
public sealed class OperatorLoopTests(ITestOutputHelper output)
{
    private const string Line = "press-e2e";
    private const string OperatorPassword = E2EUsers.OperatorPassword;
    private const string ViewerPassword = E2EUsers.ViewerPassword;

    static OperatorLoopTests() => E2EUsers.Configure();

    [Fact]
    public async Task OperatorLoop_DecisionsAreAuditedRetrainedModelIsPromotedAndLabelsNewImagesViewerIsRefused()
    {
        var screenshots = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");
        Directory.CreateDirectory(screenshots);
        await using var host = await BrowserHost.StartAsync(
            silo => silo.Services.PostConfigure<TrainingGrainOptions>(training => training.Discovery = TinyDiscovery));
        {
            var app = host.App;
            var baseUrl = host.BaseUrl;
            var api = host.Api;
            var grains = host.Grains;
            var dashboardData = host.Data;
            await SeedLineAsync(api, grains, dashboardData);

            // Operator: rename, merge, split.
            var operatorPage = await SignInAsync(host, "olga", OperatorPassword);
            // plotly.js loads after the page; wait for the drawn chart so the screenshot shows it.
            await operatorPage.WaitForSelectorAsync("[data-testid=lines-chart] .js-plotly-plot svg.main-svg");
            await operatorPage.ScreenshotAsync(new() { Path = Path.Combine(screenshots, "overview.png"), FullPage = true });

            await BrowserHost.OpenAsync(operatorPage, $"{baseUrl}/lines/{Line}/classes/c0", "[data-testid=action-rename]");
            await operatorPage.ClickAsync("[data-testid=action-rename]");
            await operatorPage.FillAsync("input[data-testid=class-name-input], [data-testid=class-name-input] input", "Dark spot");
            await operatorPage.ClickAsync("[data-testid=class-name-submit]");
            await operatorPage.GetByText("Class c0 is now 'Dark spot'").WaitForAsync();

            await BrowserHost.OpenAsync(operatorPage, $"{baseUrl}/lines/{Line}/classes/c1", "[data-testid=action-merge]");
            await operatorPage.ClickAsync("[data-testid=action-merge]");
            await operatorPage.ClickAsync(".mud-dialog .mud-select");
            await operatorPage.GetByText("Dark spot (", new() { Exact = false }).Last.ClickAsync();
            await operatorPage.ClickAsync("[data-testid=merge-submit]");
            await operatorPage.GetByText("Merged ", new() { Exact = false }).First.WaitForAsync();

            await BrowserHost.OpenAsync(operatorPage, $"{baseUrl}/lines/{Line}/classes/c2", "[data-testid=action-split]");
            await operatorPage.ScreenshotAsync(new() { Path = Path.Combine(screenshots, "class.png"), FullPage = true });
            await operatorPage.ClickAsync("[data-testid=action-split]");
            await operatorPage.CheckAsync("[data-testid=split-region-0]");
            await operatorPage.FillAsync("input[data-testid=split-name-input], [data-testid=split-name-input] input", "Long scratch");
            await operatorPage.ClickAsync("[data-testid=split-submit]");
            await operatorPage.GetByText("to the new class 'Long scratch'", new() { Exact = false }).WaitForAsync();

            // Renaming keeps a class proposed; confirming it is what makes it a labelled base class for retraining.
            await BrowserHost.OpenAsync(operatorPage, $"{baseUrl}/lines/{Line}/classes/c0", "[data-testid=action-confirm]");
            await operatorPage.ClickAsync("[data-testid=action-confirm]");
            Assert.Equal("Dark spot", await operatorPage.InputValueAsync("input[data-testid=class-name-input], [data-testid=class-name-input] input"));
            await operatorPage.ClickAsync("[data-testid=class-name-submit]");
            await operatorPage.GetByText("Class c0 is now 'Dark spot'").WaitForAsync();

            var line = grains.GetGrain<IProductLineGrain>(Line);
            var classes = await line.GetClassesAsync();
            Assert.Equal(ClassStatus.Confirmed, Assert.Single(classes, c => c.Name == "Dark spot").Status);
            Assert.Equal(ClassStatus.Confirmed, Assert.Single(classes, c => c.Name == "Long scratch").Status);
            Assert.DoesNotContain(classes, c => c.ClassId == "c1");

            await BrowserHost.OpenAsync(operatorPage, $"{baseUrl}/lines/{Line}/audit", "table");
            var auditText = await operatorPage.InnerTextAsync("body");
            await operatorPage.ScreenshotAsync(new() { Path = Path.Combine(screenshots, "audit.png"), FullPage = true });
            foreach (var action in new[] { "rename", "merge", "split", "confirm" })
            {
                Assert.Contains(action, auditText);
            }

            Assert.Contains("olga", auditText);

            // Retrain (tiny) with the confirmed classes as labelled base classes, promote, and send a new spot image.
            var trainingClock = Stopwatch.StartNew();
            var version = await RetrainAndPromoteAsync(api, grains);
            output.WriteLine($"retraining and promotion of {version}: {trainingClock.Elapsed.TotalSeconds:F1} s");
            var model = (await line.GetSummaryAsync()).PromotedModel;
            Assert.NotNull(model);
            Assert.Equal(version, model!.Version);
            // The base heads are the confirmed classes under their catalogue ids, not new ones.
            Assert.Contains(model.Classes, c => c.IsBase && c.ClassId == "c0" && c.Name == "Dark spot");
            Assert.Contains(model.Classes, c => c.IsBase && c.Name == "Long scratch");
            await UploadAsync(api, "new-spot", 42);
            var newSpot = await WaitForLabelAsync(dashboardData, "new-spot");
            output.WriteLine($"model classes: {string.Join(", ", model.Classes.Select(c => $"{c.HeadIndex}:{c.ClassId}{(c.IsBase ? " base" : "")} '{c.Name}'"))}");
            var trainedSpot = await grains.GetGrain<IImageGrain>(GrainKeys.Image(Line, "img-0")).ClassifyAsync();
            output.WriteLine($"training: {(await grains.GetGrain<ITrainingGrain>(Line).GetStatusAsync()).Message}; img-0 now {trainedSpot.Label?.ClassId}: {string.Join(", ", trainedSpot.Label?.Probabilities.Select(p => $"{p.Key}={p.Value:F3}") ?? [])}");
            output.WriteLine($"new-spot label {newSpot.Label?.ClassId}: {string.Join(", ", newSpot.Label?.Probabilities.Select(p => $"{p.Key}={p.Value:F3}") ?? [])}");
            Assert.Equal(version, newSpot.Regions[0].ModelVersion);
            Assert.Equal(ImageStatus.Classified, newSpot.Status);
            Assert.Contains(model.Classes, c => c.ClassId == newSpot.Label!.ClassId);
            // The operator loop's point: online assignment now uses the confirmed name.
            Assert.Equal("c0", newSpot.Label!.ClassId);
            Assert.Equal("Dark spot", newSpot.Label.ClassName);
            await BrowserHost.OpenAsync(operatorPage, $"{baseUrl}/lines/{Line}/images/new-spot", "[data-testid=image-label]");
            var shownLabel = await operatorPage.InnerTextAsync("[data-testid=image-label]");
            Assert.Contains("Dark spot", shownLabel);
            await operatorPage.ScreenshotAsync(new() { Path = Path.Combine(screenshots, "new-spot.png"), FullPage = true });

            // The metrics page draws the retraining's loss with Plotly: plotly.js must load from the server and plot the curve.
            await BrowserHost.OpenAsync(operatorPage, $"{baseUrl}/lines/{Line}/metrics", "[data-testid=loss-chart]");
            await operatorPage.WaitForSelectorAsync("[data-testid=loss-chart] .js-plotly-plot svg.main-svg path.js-line");
            await operatorPage.ScreenshotAsync(new() { Path = Path.Combine(screenshots, "metrics.png"), FullPage = true });

            // Live update: with the line page open, a new image uploaded through the API appears without reload.
            await BrowserHost.OpenAsync(operatorPage, $"{baseUrl}/lines/{Line}", "text=Recent images");
            await operatorPage.ScreenshotAsync(new() { Path = Path.Combine(screenshots, "line.png"), FullPage = true });
            await operatorPage.EvaluateAsync("() => window.__notReloaded = true");
            var uploaded = Stopwatch.StartNew();
            await UploadAsync(api, "live-image", 99);
            await operatorPage.GetByText("live-image").WaitForAsync();
            output.WriteLine($"new image shown on the open line page {uploaded.ElapsedMilliseconds} ms after its upload started");
            Assert.True(await operatorPage.EvaluateAsync<bool>("() => window.__notReloaded === true"), "the page was reloaded");

            await BrowserHost.OpenAsync(operatorPage, $"{baseUrl}/lines/{Line}/images/img-0", "[data-testid=region-overlay]");
            await operatorPage.ScreenshotAsync(new() { Path = Path.Combine(screenshots, "image.png"), FullPage = true });

            // Viewer: no action buttons, and the server refuses a decision made on the viewer's behalf.
            var viewerPage = await SignInAsync(host, "vera", ViewerPassword);
            await BrowserHost.OpenAsync(viewerPage, $"{baseUrl}/lines/{Line}/classes/c0", "[data-testid=read-only-note]");
            Assert.Equal(0, await viewerPage.Locator("[data-testid=class-actions]").CountAsync());
            Assert.Equal(0, await viewerPage.Locator("[data-testid=action-rename]").CountAsync());
            var viewer = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "vera"), new Claim(ClaimTypes.Role, "viewer")], "Cookies"));
            var decisions = app.Services.GetRequiredService<IClassDecisions>();
            await Assert.ThrowsAsync<UnauthorizedAccessException>(() => decisions.RenameAsync(viewer, Line, "c0", "Hacked"));
            Assert.DoesNotContain(await grains.GetGrain<IProductLineGrain>(Line).GetClassesAsync(), c => c.Name == "Hacked");

            // A line with 10,000 regions: its page's render (navigation until the gallery is shown) stays within 2 s.
            // The fastest of three visits is held to the limit, so one burst of load on the two cores does not decide.
            await SeedLargeLineAsync(grains, images: 100, regionsPerImage: 100);
            var renders = new List<long>();
            for (var visit = 0; visit < 3; visit++)
            {
                var render = Stopwatch.StartNew();
                await operatorPage.GotoAsync($"{baseUrl}/lines/{LargeLine}");
                await operatorPage.GetByText("10000 regions", new() { Exact = false }).First.WaitForAsync();
                renders.Add(render.ElapsedMilliseconds);
            }

            output.WriteLine($"render of a line page with 10,000 regions: {string.Join(" / ", renders)} ms (three visits)");
            Assert.True(renders.Min() < 2000, $"the render took at best {renders.Min()} ms (limit 2000 ms)");

            output.WriteLine($"screenshots: {screenshots}");
        }
    }

    // Small enough that a retraining run takes seconds on two cores; the objective is the platform's (TrainingGrainOptions).
    private static readonly DiscoveryOptions TinyDiscovery = new()
    {
        TrainViews = 2,
        Threads = 1,
        Heads = 2,
        Training = new NcdTrainingOptions { BatchSize = 16, Objective = new NcdObjectiveOptions { MeanEntropyOverNovelClassesOnly = true } },
        Encoder = new(EmbedDim: 32, Heads: 2, Blocks: 1),
    };

    /// <summary>Starts training through the API, waits for the job and promotes the model it registered (also through the API).</summary>
    private static async Task<string> RetrainAndPromoteAsync(HttpClient api, IGrainFactory grains)
    {
        var started = await api.PostAsJsonAsync($"/api/lines/{Line}/training", new { classCount = 2, epochs = 80, seed = 1, requestedBy = "olga" });
        Assert.True(started.IsSuccessStatusCode, $"training: {(int)started.StatusCode} {await started.Content.ReadAsStringAsync()}");
        var training = grains.GetGrain<ITrainingGrain>(Line);
        var status = await Eventually.Until(
            () => training.GetStatusAsync(), s => s.State != TrainingState.Running, TimeSpan.FromSeconds(240), "the training job to finish", TimeSpan.FromMilliseconds(500));
        Assert.True(status.State == TrainingState.Completed, status.Message);
        var promoted = await api.PostAsync($"/api/lines/{Line}/models/{status.ModelVersion}/promote", null);
        Assert.True(promoted.IsSuccessStatusCode, $"promote: {(int)promoted.StatusCode} {await promoted.Content.ReadAsStringAsync()}");
        return status.ModelVersion!;
    }

    /// <summary>Signs in through the shared host (which waits for the signed-in user's name), then for the seeded line.</summary>
    private static async Task<IPage> SignInAsync(BrowserHost host, string user, string password)
    {
        var page = await host.SignInAsync(user, password);
        await page.GetByText(Line).First.WaitForAsync();
        return page;
    }

    private static async Task SeedLineAsync(HttpClient api, IGrainFactory grains, IDashboardData data)
    {
        // The maps' background is 10: a range starting above it maps the background to 0. From 0, MEBin's lowest
        // threshold (3) keeps the whole image as foreground, which the reference treats as "no mask": every region a
        // whole-image crop with an empty mask, which the mask-guided encoder cannot tell apart.
        var created = await api.PostAsJsonAsync("/api/lines", new { id = Line, calibrationMin = 20f, calibrationMax = 240f });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        // Two defect kinds: spots (classes c0, c1: one kind seen as two clusters) and scratches (class c2).
        for (var i = 0; i < ImageCount; i++)
        {
            await UploadAsync(api, $"img-{i}", i, scratch: i % 3 == 2);
        }

        // Discovery is not run here: a registered model's classes c0..c2 stand in for a finished training run, and the
        // uploaded images' regions are assigned to them as online assignment would.
        var line = grains.GetGrain<IProductLineGrain>(Line);
        await line.RegisterModelAsync(new ModelVersion(
            "v1", Line, new ArtefactRef(new string('0', 64), "checkpoint", "bin", 1),
            [new ModelClass(0, "c0", null, false, 2), new ModelClass(1, "c1", null, false, 2), new ModelClass(2, "c2", null, false, 2)],
            ImageCount, null, null, null, DateTimeOffset.UtcNow, null, null));
        for (var i = 0; i < ImageCount; i++)
        {
            var image = await WaitForRegionsAsync(data, $"img-{i}");
            Assert.All(image.Regions, r => Assert.True(r.Area > 0, $"img-{i} region {r.Key.Index} has an empty mask (box {r.Box})"));
            var classId = $"c{i % 3}";
            await line.RecordImageAsync(image with { Regions = [.. image.Regions.Select(r => r with { ClassId = classId, Confidence = 0.9 })] });
            // The region grains hold the assignment too (training reads regions from there), as online assignment leaves them.
            foreach (var region in image.Regions)
            {
                await grains.GetGrain<Contracts.Regions.IRegionGrain>(region.Key.GrainKey).AssignAsync(classId, 0.9, "v1");
            }
        }
    }

    private const int ImageCount = 9;

    private const string LargeLine = "press-large";

    // Synthetic results recorded straight into the line grain (crops are not fetched until shown, so fake references do).
    private static async Task SeedLargeLineAsync(IGrainFactory grains, int images, int regionsPerImage)
    {
        var line = grains.GetGrain<IProductLineGrain>(LargeLine);
        await line.CreateAsync(LineSettings.Empty);
        var classIds = Enumerable.Range(0, 10).Select(i => $"k{i}").ToArray();
        await line.RegisterModelAsync(new ModelVersion(
            "v1", LargeLine, new ArtefactRef(new string('0', 64), "checkpoint", "bin", 1),
            [.. classIds.Select((id, i) => new ModelClass(i, id, null, false, 0))],
            images * regionsPerImage, null, null, null, DateTimeOffset.UtcNow, null, null));
        var fake = new ArtefactRef(new string('f', 64), "crop", "png", 1);
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < images; i++)
        {
            var imageId = $"big-{i:D4}";
            var regions = Enumerable.Range(0, regionsPerImage).Select(r => new Contracts.Regions.RegionResult(
                new Contracts.Regions.RegionKey(LargeLine, imageId, r), new Contracts.Regions.RegionBox(r, r, r + 4, r + 4), 16, 0.9,
                fake, fake, null, classIds[(i + r) % classIds.Length], 0.5 + (r % 50) / 100.0, "v1", null)).ToArray();
            await line.RecordImageAsync(new Contracts.Images.ImageResult(
                LargeLine, imageId, Contracts.Images.ImageStatus.Classified, fake, null, null, 128, 128, regions, null, null, now, now, 1));
        }
    }

    private static async Task<Contracts.Images.ImageResult> WaitForRegionsAsync(IDashboardData data, string imageId) =>
        (await Eventually.Until(
            () => data.GetImageAsync(Line, imageId), image => image is { Regions.Length: > 0 }, TimeSpan.FromSeconds(60), $"image {imageId} to get a region", TimeSpan.FromMilliseconds(200)))!;

    private static async Task<Contracts.Images.ImageResult> WaitForLabelAsync(IDashboardData data, string imageId) =>
        (await Eventually.Until(
            () => data.GetImageAsync(Line, imageId), image => image is { Label: not null }, TimeSpan.FromSeconds(60), $"image {imageId} to get a label", TimeSpan.FromMilliseconds(200)))!;

    private static async Task UploadAsync(HttpClient api, string id, int seed, bool scratch = false)
    {
        var (image, map) = scratch ? DefectImages.Scratch(128, 128, seed) : DefectImages.Spot(128, 128, seed);
        var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(image), "image", $"{id}.png" },
            { new ByteArrayContent(map), "map", "map.png" },
            { new StringContent(id), "id" },
        };
        var response = await api.PostAsync($"/api/lines/{Line}/images", form);
        Assert.True(response.IsSuccessStatusCode, $"upload {id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}
