using Microsoft.Playwright;

// Signs in to a running dashboard (the demo's) as its first-run admin and saves one screenshot per page.
// Usage: AnomalyNcd.Screenshots URL USER PASSWORD OUT-FOLDER [LINE]
if (args.Length is < 4 or > 5)
{
    Console.Error.WriteLine("usage: AnomalyNcd.Screenshots URL USER PASSWORD OUT-FOLDER [LINE]");
    return 2;
}

var (baseUrl, user, password, folder) = (args[0].TrimEnd('/'), args[1], args[2], args[3]);
var line = args.Length == 5 ? args[4] : "line-a";
Directory.CreateDirectory(folder);

using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
{
    ExecutablePath = "/usr/bin/chromium",
    Headless = true,
    Args = ["--no-sandbox", "--disable-gpu", "--no-first-run"],
});
var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
context.SetDefaultTimeout(60_000);
var page = await context.NewPageAsync();

await page.GotoAsync($"{baseUrl}/account/login");
await page.WaitForSelectorAsync("[data-testid=login-form]");
await SaveAsync("signin");
await page.FillAsync("input[name=user]", user);
await page.FillAsync("input[name=password]", password);
await page.ClickAsync("button[type=submit]");
await page.Locator("[data-testid=signed-in-user]").GetByText(user).WaitForAsync();

await OpenAsync($"/lines/{line}/classes/c3", "[data-testid=class-actions]", "class");
// One operator decision, as on a first shift: the class of dark and light spots is confirmed and named, so the
// overview, the line page and the audit log show a confirmed class beside the proposed ones.
await OpenAsync($"/lines/{line}/classes/c1", "[data-testid=action-confirm]", null);
await page.ClickAsync("[data-testid=action-confirm]");
await page.FillAsync("input[data-testid=class-name-input], [data-testid=class-name-input] input", "Spot");
await page.ClickAsync("[data-testid=class-name-submit]");
await page.Locator(".mud-dialog").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Detached });
await OpenAsync($"/lines/{line}/classes/c1", "h4:has-text('Spot'), h5:has-text('Spot'), h6:has-text('Spot')", null);
await OpenAsync("/", "[data-testid=lines-chart] .js-plotly-plot svg.main-svg", "overview");
await OpenAsync($"/lines/{line}", "[data-testid=thumbnail-outlines]", "line");
// The queue's crops load lazily as they scroll in, so this one is the first screen only.
await OpenAsync($"/lines/{line}/review", "[data-testid=review-table]", "review", fullPage: false);
await OpenAsync($"/lines/{line}/trends", "[data-testid=trend-chart] .js-plotly-plot svg.main-svg", "trends");
await OpenAsync($"/lines/{line}/metrics", "[data-testid=readiness-rule]", "quality");
await OpenAsync($"/lines/{line}/audit", "[data-testid=audit-sentence]", "audit");

// The image page of the line's first anomalous image, reached the way an operator does: from its thumbnail.
const string WithRegion = "[data-testid=thumbnail]:has([data-testid=thumbnail-outlines] rect) a";
await OpenAsync($"/lines/{line}", WithRegion, null);
await page.ClickAsync(WithRegion);
await page.WaitForSelectorAsync("[data-testid=region-overlay]");
await page.ClickAsync("[data-testid=zoom-in]");
await SaveAsync("image");
Console.WriteLine($"screenshots of {baseUrl} written to {Path.GetFullPath(folder)}");
return 0;

async Task OpenAsync(string path, string readySelector, string? name, bool fullPage = true)
{
    await page.GotoAsync(baseUrl + path);
    await page.WaitForSelectorAsync(readySelector);
    await page.WaitForFunctionAsync("() => window.Blazor !== undefined");
    if (name is not null)
    {
        await SaveAsync(name, fullPage);
    }
}

async Task SaveAsync(string name, bool fullPage = true)
{
    var file = Path.Combine(folder, $"dashboard-{name}.png");
    await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = fullPage });
    Console.WriteLine($"  {file}");
}
