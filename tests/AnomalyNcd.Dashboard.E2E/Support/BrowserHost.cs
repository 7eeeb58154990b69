using AnomalyNcd.Dashboard.Access;
using AnomalyNcd.Dashboard.Data;
using AnomalyNcd.Silo.Hosting;
using AnomalyNcd.Silo.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AnomalyNcd.Dashboard.E2E.Support;

/// <summary>
/// The dashboard users every browser test signs in as. The server reads its users from configuration (environment
/// variables of this test process), so every test class configures the same ones and none can race another's.
/// </summary>
public static class E2EUsers
{
    public const string OperatorName = "olga";
    public const string OperatorPassword = "op-pass-1";
    public const string ViewerName = "vera";
    public const string ViewerPassword = "view-pass-1";
    public const string AdminName = "ada";
    public const string AdminPassword = "admin-pass-1";

    private static readonly Lazy<bool> Configured = new(() =>
    {
        Set(0, OperatorName, "operator", OperatorPassword);
        Set(1, ViewerName, "viewer", ViewerPassword);
        Set(2, AdminName, "admin", AdminPassword);
        return true;
    });

    public static void Configure() => _ = Configured.Value;

    private static void Set(int index, string name, string role, string password)
    {
        Environment.SetEnvironmentVariable($"Dashboard__Users__{index}__Name", name);
        Environment.SetEnvironmentVariable($"Dashboard__Users__{index}__Role", role);
        Environment.SetEnvironmentVariable($"Dashboard__Users__{index}__PasswordHash", DashboardUserStore.Hash(password));
    }
}

/// <summary>Browser tests run one at a time: each drives a real Chromium against a real server on two cores.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrowserCollection
{
    public const string Name = "Browser";
}

/// <summary>
/// A real co-hosted server (silo with embedded SQLite, HTTP API with an operator API key, dashboard) and a headless
/// Debian Chromium driven by Playwright, for one browser test. Dispose stops both and removes the data folder.
/// </summary>
public sealed class BrowserHost : IAsyncDisposable
{
    private readonly TempFolder data;
    private readonly IPlaywright playwright;

    private BrowserHost(TempFolder data, WebApplication app, string apiKey, IPlaywright playwright, IBrowser browser)
    {
        this.data = data;
        this.playwright = playwright;
        App = app;
        Browser = browser;
        BaseUrl = app.GetBoundUrl().TrimEnd('/');
        Api = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(60) };
        Api.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        Grains = app.Services.GetRequiredService<IGrainFactory>();
        Data = app.Services.GetRequiredService<IDashboardData>();
    }

    public WebApplication App { get; }

    public IBrowser Browser { get; }

    /// <summary>The server's address without a trailing slash.</summary>
    public string BaseUrl { get; }

    /// <summary>An HTTP client for the API, signed in with an operator API key.</summary>
    public HttpClient Api { get; }

    public IGrainFactory Grains { get; }

    public IDashboardData Data { get; }

    public static async Task<BrowserHost> StartAsync(Action<Orleans.Hosting.ISiloBuilder>? configureSilo = null)
    {
        E2EUsers.Configure();
        var data = TestData.NewTempFolder();
        var apiKey = ApiKeyGrant.NewKey();
        var app = await AnomalyNcdServer.BuildAsync(new AnomalyNcdServerOptions
        {
            ApiKeys = [ApiKeyGrant.ForKey("e2e", ApiRoles.Operator, apiKey)],
            DataFolder = data.Path,
            HttpPort = 0,
            SiloPort = 0,
            GatewayPort = 0,
            Accelerator = "cpu",
            AllowCpuFallback = true,
            EnableDashboard = true,
            ConfigureSilo = configureSilo,
        });
        await app.StartAsync();
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        return new BrowserHost(data, app, apiKey, playwright, browser);
    }

    /// <summary>A new browser context and page, not signed in.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        return await context.NewPageAsync();
    }

    /// <summary>Signs in through the login form and waits until the overview shows.</summary>
    public async Task<IPage> SignInAsync(string user, string password)
    {
        var page = await NewPageAsync();
        await page.GotoAsync($"{BaseUrl}/account/login");
        await page.FillAsync("input[name=user]", user);
        await page.FillAsync("input[name=password]", password);
        await page.ClickAsync("button[type=submit], input[type=submit]");
        // Waits for what the user sees: the app bar naming them. Not WaitForURLAsync: when the redirect to "/" has
        // already committed by the time it is called, Playwright .NET waits for the load event whatever WaitUntil says
        // (microsoft/playwright-dotnet#3365), and under load that event came after the 30 s timeout (issue 20).
        try
        {
            await page.Locator("[data-testid=signed-in-user]").GetByText(user).WaitForAsync();
        }
        catch (TimeoutException stuck)
        {
            var shown = await page.InnerTextAsync("body", new() { Timeout = 5000 });
            throw new TimeoutException($"signing in as {user} did not show the overview: the page is {page.Url}, showing: {shown[..Math.Min(shown.Length, 600)]}", stuck);
        }

        Assert.Equal($"{BaseUrl}/", page.Url);
        return page;
    }

    /// <summary>
    /// Opens a page and waits for <paramref name="selector"/> and for the app bar's "live" mark, which shows once the
    /// interactive circuit has rendered the page: from then on a click acts, where on the prerendered page it did nothing.
    /// </summary>
    public static async Task OpenAsync(IPage page, string url, string selector)
    {
        await page.GotoAsync(url);
        await page.WaitForSelectorAsync(selector);
        await page.Locator("[data-testid=live]").WaitForAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        playwright.Dispose();
        Api.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        data.Dispose();
    }
}
