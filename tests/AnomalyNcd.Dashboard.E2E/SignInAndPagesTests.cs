using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using AnomalyNcd.Contracts.Artefacts;
using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Contracts.Training;
using AnomalyNcd.Dashboard.Data;
using AnomalyNcd.Dashboard.E2E.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace AnomalyNcd.Dashboard.E2E;

/// <summary>
/// What a new user meets first: a sign-in form they can see and use, pages that load without a console error signed
/// out or in, a site icon, a friendly page for an unknown address, and an audit log that says each decision in words.
/// </summary>
[Trait(TestCategories.Trait, TestCategories.Browser)]
[Collection(BrowserCollection.Name)]
public sealed class SignInAndPagesTests(ITestOutputHelper output)
{
    private const string Line = "signin-line";

    [Fact]
    public async Task SignIn_InputsVisibleErrorsInWords_NoConsoleErrorOnAnyPage_AuditEntryInWords()
    {
        await using var host = await BrowserHost.StartAsync();
        var imageId = await SeedAsync(host);
        var page = await host.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") { errors.Add($"{page.Url}: {message.Text}"); } };
        page.PageError += (_, error) => errors.Add($"{page.Url}: uncaught {error}");

        // Signed out: every dashboard address leads to the sign-in form.
        string[] pages =
        [
            "/", $"/lines/{Line}", $"/lines/{Line}/review", $"/lines/{Line}/metrics", $"/lines/{Line}/audit",
            $"/lines/{Line}/classes/k0", $"/lines/{Line}/images/{imageId}", $"/lines/{Line}/images/{imageId}/regions/0/similar",
        ];
        foreach (var path in pages)
        {
            await page.GotoAsync(host.BaseUrl + path);
            await page.Locator("[data-testid=login-form]").WaitForAsync();
            Assert.Contains("/account/login", page.Url);
        }

        // The inputs: labelled, wide enough, with a border that stands out from the form's background.
        foreach (var label in new[] { "User", "Password" })
        {
            var input = page.GetByLabel(label, new() { Exact = true });
            var box = await input.BoundingBoxAsync();
            Assert.NotNull(box);
            Assert.True(box.Width >= 200, $"{label} input is {box.Width} px wide");
            var style = await input.EvaluateAsync<string[]>(
                "e => { const s = getComputedStyle(e); const p = getComputedStyle(e.closest('.mud-paper')); return [s.borderTopWidth, s.borderTopColor, p.backgroundColor]; }");
            output.WriteLine($"{label}: {box.Width}x{box.Height} px, border {style[0]} {style[1]} on {style[2]}");
            Assert.True(double.Parse(style[0].Replace("px", ""), System.Globalization.CultureInfo.InvariantCulture) > 0, $"{label} border width {style[0]}");
            Assert.NotEqual(style[2], style[1]);
        }

        // A wrong password is said in words, and the form stays.
        await page.GetByLabel("User", new() { Exact = true }).FillAsync(E2EUsers.OperatorName);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync("not-the-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        var alert = page.Locator("[data-testid=login-error]");
        await alert.WaitForAsync();
        Assert.Contains("wrong password", await alert.InnerTextAsync());

        await page.GetByLabel("User", new() { Exact = true }).FillAsync(E2EUsers.OperatorName);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(E2EUsers.OperatorPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.Locator("[data-testid=signed-in-user]").GetByText(E2EUsers.OperatorName).WaitForAsync();

        // Signed in: every page, each waited for until its app bar names the user and Blazor has started.
        foreach (var path in pages)
        {
            await BrowserHost.OpenAsync(page, host.BaseUrl + path, "[data-testid=signed-in-user]");
        }

        // The audit log, last visited, says the decisions in words with who and when, the raw entries behind a toggle.
        // Waited for until live: under load the interactive render can replace the prerendered list after it showed.
        await BrowserHost.OpenAsync(page, $"{host.BaseUrl}/lines/{Line}/audit", "[data-testid=audit-entry]");
        var renamed = page.Locator("[data-testid=audit-sentence]", new() { HasText = "renamed k0 'Spot' → 'Dark spot'" });
        await renamed.WaitForAsync();
        var entry = page.Locator("[data-testid=audit-entry]", new() { Has = renamed });
        Assert.StartsWith($"{E2EUsers.OperatorName} · ", await entry.Locator("[data-testid=audit-who]").InnerTextAsync());
        await page.Locator("[data-testid=audit-sentence]", new() { HasText = "confirmed k0 as 'Spot'" }).WaitForAsync();
        var raw = entry.Locator("code").First;
        Assert.False(await raw.IsVisibleAsync());
        await entry.GetByText("Show JSON").ClickAsync();
        await raw.WaitForAsync();
        Assert.Contains("\"Name\":\"Spot\"", await raw.InnerTextAsync());

        // Errors that surface after a page has loaded (a failed fetch of a framework endpoint) have had the whole
        // signed-in tour to arrive; none may have.
        Assert.True(errors.Count == 0, "console errors:\n" + string.Join("\n", errors));
    }

    [Fact]
    public async Task Favicon_Answers_AndUnknownAddressesGetAFriendlyPage_ApiKeepsProblems()
    {
        await using var host = await BrowserHost.StartAsync();
        using var anonymous = new HttpClient { BaseAddress = new Uri(host.BaseUrl) };
        foreach (var path in new[] { "/favicon.ico", "/favicon.svg" })
        {
            var icon = await anonymous.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, icon.StatusCode);
            Assert.Equal("image/svg+xml", icon.Content.Headers.ContentType?.MediaType);
        }

        var api = await host.Api.GetAsync("/api/no-such-thing");
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);

        var page = await host.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);
        var response = await page.GotoAsync($"{host.BaseUrl}/no/such/page");
        Assert.Equal(404, response!.Status);
        await page.GetByText("Page not found").WaitForAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Go to the overview" }).WaitForAsync();

        // Signed in, an unknown route under a line gets the same page.
        var signedIn = await host.SignInAsync(E2EUsers.ViewerName, E2EUsers.ViewerPassword);
        await signedIn.GotoAsync($"{host.BaseUrl}/lines/x/no-such-view");
        await signedIn.GetByText("Page not found").WaitForAsync();
        Assert.Empty(errors);
    }

    /// <summary>A line with one uploaded image (real artefacts), a model's classes k0, k1, and k0 confirmed then renamed.</summary>
    private async Task<string> SeedAsync(BrowserHost host)
    {
        var created = await host.Api.PostAsJsonAsync("/api/lines", new { id = Line, calibrationMin = 20f, calibrationMax = 240f });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        const string imageId = "spot-1";
        var (image, map) = DefectImages.Spot(128, 128, 7);
        var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(image), "image", $"{imageId}.png" },
            { new ByteArrayContent(map), "map", "map.png" },
            { new StringContent(imageId), "id" },
        };
        var uploaded = await host.Api.PostAsync($"/api/lines/{Line}/images", form);
        Assert.True(uploaded.IsSuccessStatusCode, await uploaded.Content.ReadAsStringAsync());
        await Eventually.Until(
            () => host.Data.GetImageAsync(Line, imageId), i => i is { Regions.Length: > 0 }, TimeSpan.FromSeconds(60), $"image {imageId} to get a region", TimeSpan.FromMilliseconds(200));

        var line = host.Grains.GetGrain<IProductLineGrain>(Line);
        await line.RegisterModelAsync(new ModelVersion(
            "v1", Line, new ArtefactRef(new string('0', 64), "checkpoint", "bin", 1),
            [new ModelClass(0, "k0", null, false, 1), new ModelClass(1, "k1", null, false, 0)],
            1, null, null, null, DateTimeOffset.UtcNow, null, null));
        var olga = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, E2EUsers.OperatorName), new Claim(ClaimTypes.Role, "operator")], "Cookies"));
        var decisions = host.App.Services.GetRequiredService<IClassDecisions>();
        await decisions.ConfirmAsync(olga, Line, "k0", "Spot");
        await decisions.RenameAsync(olga, Line, "k0", "Dark spot");
        output.WriteLine($"seeded line {Line}: image {imageId}, classes k0 'Dark spot', k1");
        return imageId;
    }
}
