using System.Net.Http.Json;
using AnomalyNcd.Core.Detection;
using AnomalyNcd.Core.Features;
using AnomalyNcd.Dashboard.E2E.Support;
using AnomalyNcd.Grains.Detection;
using AnomalyNcd.Silo.Tests.Api;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AnomalyNcd.Dashboard.E2E;

/// <summary>
/// Issue 16, acceptance 3: an operator learns the line's detector from the line page, promotes it there, a raw image
/// (no map) is uploaded, and its image page shows the detector's map as a heat overlay under the region outline.
/// </summary>
[Trait(TestCategories.Trait, TestCategories.Browser)]
[Collection(BrowserCollection.Name)]
public sealed class DetectorBrowserTests
{
    private const string Line = "press-raw";

    [Fact]
    public async Task Operator_LearnsAndPromotesTheDetectorOnTheLinePage_RawUploadShowsItsHeatMapUnderTheOutline()
    {
        // A small, full-precision fit keeps the test short; the product's default is Core's (int8, 1 % coreset).
        await using var host = await BrowserHost.StartAsync(silo => silo.Services.Configure<DetectorGrainOptions>(
            o => o.Fit = new PatchCoreOptions(CoresetFraction: 0.25, Precision: BackbonePrecision.Fp32)));
        var created = await host.Api.PostAsJsonAsync("/api/lines", new { id = Line });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        for (var i = 0; i < 6; i++)
        {
            using var normal = new MultipartFormDataContent
            {
                { new ByteArrayContent(TestImages.NoisyPng(96, 96, 100 + i)), "image", $"good-{i}.png" },
                { new StringContent("true"), "normal" },
            };
            var kept = await host.Api.PostAsync($"/api/lines/{Line}/images", normal);
            Assert.True(kept.IsSuccessStatusCode, await kept.Content.ReadAsStringAsync());
        }

        var page = await host.SignInAsync(E2EUsers.OperatorName, E2EUsers.OperatorPassword);
        await BrowserHost.OpenAsync(page, $"{host.BaseUrl}/lines/{Line}", "[data-testid=detector-learn]");
        Assert.Contains("6 normal images", await page.InnerTextAsync("[data-testid=detector-normal-count]"));
        Assert.Contains("none promoted", await page.InnerTextAsync("[data-testid=detector-none]"));

        await page.ClickAsync("[data-testid=detector-learn]");
        // The card follows the job by itself; the promote button appears once the fit has produced v1.
        await page.Locator("[data-testid=detector-promote]").GetByText("Promote v1").WaitForAsync(new() { Timeout = 120_000 });
        await page.ClickAsync("[data-testid=detector-promote]");
        await page.Locator("[data-testid=detector-promoted]").GetByText("v1, fitted on 6 normal images", new() { Exact = false }).WaitForAsync();
        Assert.Contains("promoted by olga", await page.InnerTextAsync("[data-testid=detector-promoted]"));

        using var raw = new MultipartFormDataContent
        {
            { new ByteArrayContent(TestImages.SurfacePng(96, 96, 200)), "image", "raw-1.png" },
            { new StringContent("raw-1"), "id" },
        };
        var uploaded = await host.Api.PostAsync($"/api/lines/{Line}/images", raw);
        Assert.True(uploaded.IsSuccessStatusCode, await uploaded.Content.ReadAsStringAsync());

        await BrowserHost.OpenAsync(page, $"{host.BaseUrl}/lines/{Line}/images/raw-1", "[data-testid=region-overlay] rect[data-region]");
        Assert.Equal(0, await page.Locator("[data-testid=heat-overlay]").CountAsync());
        await page.ClickAsync("[data-testid=heat-toggle]");
        var heat = page.Locator("[data-testid=heat-overlay]");
        await heat.WaitForAsync();
        await page.WaitForFunctionAsync("() => { const i = document.querySelector('[data-testid=heat-overlay]'); return i && i.complete && i.naturalWidth > 0; }");
        var picture = await page.Locator("[data-testid=image-main]").BoundingBoxAsync();
        var map = await heat.BoundingBoxAsync();
        Assert.Equal((picture!.Width, picture.Height), (map!.Width, map.Height)); // the map lies on the picture
        // Under the outlines: the overlay comes before the SVG of region outlines in the frame, so it is drawn beneath them.
        Assert.True(await page.EvaluateAsync<bool>(
            "() => { const h = document.querySelector('[data-testid=heat-overlay]'); const s = document.querySelector('[data-testid=region-overlay]'); return !!(h.compareDocumentPosition(s) & Node.DOCUMENT_POSITION_FOLLOWING); }"));
        await page.Locator("[data-testid=region-overlay] rect[data-region]").First.WaitForAsync();
    }
}
