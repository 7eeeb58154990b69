using System.Net.Http.Json;
using AnomalyNcd.Contracts;
using AnomalyNcd.Contracts.Artefacts;
using AnomalyNcd.Contracts.Images;
using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Contracts.Training;
using AnomalyNcd.Silo.Hosting;
using AnomalyNcd.Silo.Persistence;
using AnomalyNcd.Silo.Tests.Api;
using AnomalyNcd.Silo.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace AnomalyNcd.Silo.Tests.Hosting;

/// <summary>
/// Operators' decisions (rename, merge, split) are an audit: who, when, before and after. It must survive the
/// process: decide on one server, stop it, start a new one on the same storage, and every entry is still there.
/// </summary>
[Trait(TestCategories.Trait, TestCategories.Integration)]
[Collection(PostgresCollection.Name)]
public sealed class AuditRestartTests(PostgresServer postgres)
{
    private const string Line = "audit-line";

    [Fact]
    public async Task Decisions_EmbeddedSqliteServerRestarted_AuditIsKept()
    {
        using var data = TestData.NewTempFolder();

        await DecideThenRestartAndCompareAsync(Options(data.Path, postgres: null));
    }

    [Fact]
    public async Task Decisions_PostgresServerRestarted_AuditIsKept()
    {
        using var data = TestData.NewTempFolder();
        var connection = await postgres.CreateDatabaseAsync();
        await DatabaseSchema.InitialiseAsync(DatabaseTarget.Postgres(connection));

        await DecideThenRestartAndCompareAsync(Options(data.Path, connection));
    }

    private static AnomalyNcdServerOptions Options(string dataFolder, string? postgres) => new()
    {
        DataFolder = dataFolder,
        PostgresConnectionString = postgres,
        HttpPort = 0,
        SiloPort = 0,
        GatewayPort = 0,
        Accelerator = "cpu",
        AllowCpuFallback = true,
        ApiKeys = TestApiKeys.Grants,
    };

    private static async Task DecideThenRestartAndCompareAsync(AnomalyNcdServerOptions options)
    {
        ClassDecision[] before;
        DefectClass[] classesBefore;
        var first = await AnomalyNcdServer.BuildAsync(options);
        await first.StartAsync();
        try
        {
            var started = DateTimeOffset.UtcNow;
            before = await SeedAndDecideAsync(first);
            classesBefore = await first.Services.GetRequiredService<IGrainFactory>().GetGrain<IProductLineGrain>(Line).GetClassesAsync();

            // The audit as the operators made it: three decisions by two users, newest first, with before/after.
            Assert.Equal(["split", "merge", "rename"], before.Select(d => d.Action));
            Assert.Equal(["piet", "olga", "olga"], before.Select(d => d.User));
            Assert.All(before, d => Assert.InRange(d.At, started, DateTimeOffset.UtcNow));
            Assert.All(before, d => Assert.False(string.IsNullOrWhiteSpace(d.Before) || string.IsNullOrWhiteSpace(d.After)));
            Assert.Contains("Dark spot", before[2].After);
            Assert.Contains("Big spot", before[0].After);
        }
        finally
        {
            await first.StopAsync();
            await first.DisposeAsync();
        }

        var second = await AnomalyNcdServer.BuildAsync(options);
        await second.StartAsync();
        try
        {
            var line = second.Services.GetRequiredService<IGrainFactory>().GetGrain<IProductLineGrain>(Line);
            var after = await line.GetDecisionsAsync(0, 100);
            var classesAfter = await line.GetClassesAsync();

            Assert.Equal(before, after);
            Assert.Equal(classesBefore.Select(c => (c.ClassId, c.Name, c.Status)), classesAfter.Select(c => (c.ClassId, c.Name, c.Status)));
        }
        finally
        {
            await second.StopAsync();
            await second.DisposeAsync();
        }
    }

    /// <summary>
    /// A line with three uploaded images whose regions a registered model put in classes c0..c2; then olga renames
    /// c0, merges c1 into it, and piet splits one region off into a new class. Returns the audit, newest first.
    /// </summary>
    private static async Task<ClassDecision[]> SeedAndDecideAsync(WebApplication app)
    {
        using var api = TestApiKeys.Authorize(new HttpClient { BaseAddress = new Uri(app.GetBoundUrl()), Timeout = TimeSpan.FromSeconds(60) }, TestApiKeys.Operator);
        var grains = app.Services.GetRequiredService<IGrainFactory>();
        var created = await api.PostAsJsonAsync("/api/lines", new { id = Line, calibrationMin = 0f, calibrationMax = 255f });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        var line = grains.GetGrain<IProductLineGrain>(Line);
        await line.RegisterModelAsync(new ModelVersion(
            "v1", Line, new ArtefactRef(new string('0', 64), "checkpoint", "bin", 1),
            [new ModelClass(0, "c0", null, false, 1), new ModelClass(1, "c1", null, false, 1), new ModelClass(2, "c2", null, false, 1)],
            3, null, null, null, DateTimeOffset.UtcNow, null, null));
        for (var i = 0; i < 3; i++)
        {
            var id = $"img-{i}";
            var form = new MultipartFormDataContent
            {
                { new ByteArrayContent(TestImages.SurfacePng(96, 96, i)), "image", $"{id}.png" },
                { new ByteArrayContent(TestImages.MapPng(96, 96)), "map", "map.png" },
                { new StringContent(id), "id" },
            };
            var uploaded = await api.PostAsync($"/api/lines/{Line}/images", form);
            Assert.True(uploaded.IsSuccessStatusCode, $"upload {id}: {(int)uploaded.StatusCode} {await uploaded.Content.ReadAsStringAsync()}");
            var image = await WaitForRegionsAsync(grains, id);
            await line.RecordImageAsync(image with { Regions = [.. image.Regions.Select(r => r with { ClassId = $"c{i}", Confidence = 0.9 })] });
        }

        await line.RenameClassAsync("c0", "Dark spot", "olga");
        await line.MergeClassesAsync("c1", "c0", "olga");
        var image0 = await WaitForRegionsAsync(grains, "img-0");
        await line.SplitClassAsync("c0", [image0.Regions[0].Key], "Big spot", "piet");
        return await line.GetDecisionsAsync(0, 100);
    }

    private static async Task<ImageResult> WaitForRegionsAsync(IGrainFactory grains, string imageId) =>
        (await Eventually.Until(
            () => grains.GetGrain<IImageGrain>(GrainKeys.Image(Line, imageId)).GetAsync(),
            image => image is { Regions.Length: > 0 },
            TimeSpan.FromSeconds(60),
            $"a region of image {imageId}",
            TimeSpan.FromMilliseconds(200)))!;
}
