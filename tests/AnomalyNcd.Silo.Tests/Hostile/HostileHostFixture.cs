using System.Net.Http.Json;
using AnomalyNcd.Core.Tests.Hostile;
using AnomalyNcd.Silo.Hosting;
using AnomalyNcd.Silo.Tests.Support;
using Microsoft.AspNetCore.Builder;
using OpenCvSharp;

namespace AnomalyNcd.Silo.Tests.Hostile;

/// <summary>
/// The real host on free loopback ports with a temporary data folder, a line <see cref="Line"/> and one image
/// <see cref="SeedId"/> already stored, so every hostile case can check that stored data stays as it was.
/// Limits are small: 256 KiB per upload and 1 MP per image.
/// </summary>
public sealed class HostileHostFixture : IAsyncLifetime
{
    public const string Line = "hostile";
    public const string SeedId = "seed";
    public const long UploadLimit = 256 * 1024;
    public const long PixelLimit = 1_000_000;

    private readonly TempFolder temp = TestData.NewTempFolder();
    private WebApplication? app;

    public HttpClient Client { get; private set; } = null!;

    public AnomalyNcdServerOptions Options { get; private set; } = null!;

    /// <summary>The data folder sits one level inside a private temp folder, so escapes above it can be seen.</summary>
    public string Outside => temp.Path;

    public async Task InitializeAsync()
    {
        Options = new AnomalyNcdServerOptions
        {
            DataFolder = temp.Combine("data"),
            HttpPort = 0,
            SiloPort = 0,
            GatewayPort = 0,
            Accelerator = "cpu",
            AllowCpuFallback = true,
            ApiKeys = TestApiKeys.Grants,
            MaxUploadBytes = UploadLimit,
            MaxImagePixels = PixelLimit,
        };
        app = await AnomalyNcdServer.BuildAsync(Options);
        await app.StartAsync();
        Client = NewClient(TestApiKeys.Operator);
        var line = await Client.PostAsJsonAsync("/api/lines", new { id = Line, calibrationMin = 0f, calibrationMax = 255f });
        Assert.True(line.IsSuccessStatusCode, await line.Content.ReadAsStringAsync());
        var seed = await Client.PostAsync($"/api/lines/{Line}/images", Form(HostileCorpus.GoodPng(), "seed.png", id: SeedId));
        Assert.True(seed.IsSuccessStatusCode, await seed.Content.ReadAsStringAsync());
    }

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

        temp.Dispose();
    }

    /// <summary>A 64×64 8-bit map, low everywhere but a bright disc.</summary>
    public static byte[] GoodMap()
    {
        var map = new Mat(HostileCorpus.ImageSize, HostileCorpus.ImageSize, MatType.CV_8UC1, Scalar.All(10));
        Cv2.Circle(map, new Point(32, 32), 8, Scalar.All(240), -1);
        return HostileCorpus.Encode(".png", map);
    }

    public static MultipartFormDataContent Form(byte[] image, string imageName, byte[]? map = null, string? mapName = null, string? id = null)
    {
        // The line has no detector, so every upload brings its map; a good one unless the case brings its own.
        var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(image), "image", imageName },
            { new ByteArrayContent(map ?? GoodMap()), "map", mapName ?? "map.png" },
        };

        if (id is not null)
        {
            form.Add(new StringContent(id), "id");
        }

        return form;
    }
}
