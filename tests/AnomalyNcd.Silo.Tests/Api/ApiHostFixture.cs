using System.Net.Http.Json;
using System.Text.Json;
using AnomalyNcd.Silo.Hosting;
using AnomalyNcd.Silo.Tests.Support;
using Microsoft.AspNetCore.Builder;

namespace AnomalyNcd.Silo.Tests.Api;

/// <summary>
/// The real host (silo + API) on free loopback ports with a temporary data folder, shared by one test class.
/// The upload limit is small so that an oversized upload is cheap to send.
/// </summary>
public class ApiHostFixture : IAsyncLifetime
{
    public const long UploadLimit = 256 * 1024;

    private readonly TempFolder data = TestData.NewTempFolder();
    private WebApplication? app;

    public HttpClient Client { get; private set; } = null!;

    public AnomalyNcdServerOptions Options { get; private set; } = null!;

    /// <summary>The running host's services (its endpoint data source, for one).</summary>
    public IServiceProvider Services => app!.Services;

    public async Task InitializeAsync()
    {
        Options = new AnomalyNcdServerOptions
        {
            DataFolder = data.Path,
            HttpPort = 0,
            SiloPort = 0,
            GatewayPort = 0,
            Accelerator = "cpu",
            AllowCpuFallback = true,
            ApiKeys = TestApiKeys.Grants,
            MaxUploadBytes = UploadLimit,
        };
        Options = Customize(Options);
        app = await AnomalyNcdServer.BuildAsync(Options);
        await app.StartAsync();
        Client = NewClient(TestApiKeys.Operator);
    }

    /// <summary>A fixture for a test class that needs other silo settings changes the options here.</summary>
    protected virtual AnomalyNcdServerOptions Customize(AnomalyNcdServerOptions options) => options;

    /// <summary>A client of this host that sends <paramref name="key"/> (null: anonymous); the caller disposes it.</summary>
    public HttpClient NewClient(string? key)
    {
        var client = new HttpClient { BaseAddress = new Uri(app!.GetBoundUrl()), Timeout = TimeSpan.FromSeconds(60) };
        return key is null ? client : TestApiKeys.Authorize(client, key);
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        data.Dispose();
    }

    /// <summary>Every file under the artefact store, with its size, to prove a rejected upload stored nothing.</summary>
    public string[] ArtefactFiles() =>
        Directory.Exists(Options.ArtefactFolder)
            ? [.. Directory.EnumerateFiles(Path.Combine(data.Path, "artefacts"), "*", SearchOption.AllDirectories)
                .Select(f => $"{Path.GetRelativePath(data.Path, f)}:{new FileInfo(f).Length}")
                .Order(StringComparer.Ordinal)]
            : [];

    public async Task CreateLineAsync(string line)
    {
        var response = await Client.PostAsJsonAsync("/api/lines", new { id = line, calibrationMin = 0f, calibrationMax = 255f });
        Assert.True(response.IsSuccessStatusCode, $"creating line {line}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    public static MultipartFormDataContent Upload(byte[] image, string imageName, byte[]? map = null, string? mapName = null, string? id = null)
    {
        var form = new MultipartFormDataContent { { new ByteArrayContent(image), "image", imageName } };
        if (map is not null)
        {
            form.Add(new ByteArrayContent(map), "map", mapName ?? "map.png");
        }

        if (id is not null)
        {
            form.Add(new StringContent(id), "id");
        }

        return form;
    }

    /// <summary>Asserts an RFC 7807 response with the given status and returns its <c>detail</c>.</summary>
    public static async Task<string> AssertProblemAsync(HttpResponseMessage response, int status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(body);
        Assert.Equal(status, json.RootElement.GetProperty("status").GetInt32());
        return json.RootElement.GetProperty("detail").GetString() ?? string.Empty;
    }
}
