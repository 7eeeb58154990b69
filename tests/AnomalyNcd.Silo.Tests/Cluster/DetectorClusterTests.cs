using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using AnomalyNcd.Contracts.Detection;
using AnomalyNcd.Contracts.Images;
using AnomalyNcd.Contracts.Training;
using AnomalyNcd.Core.Detection;
using AnomalyNcd.Core.Synthetic;
using AnomalyNcd.Grains.Artefacts;
using AnomalyNcd.Silo.Persistence;
using AnomalyNcd.Silo.Tests.Support;
using Xunit.Abstractions;

namespace AnomalyNcd.Silo.Tests.Cluster;

/// <summary>
/// A line's detector job in a real cluster of <c>serve</c> processes on one PostgreSQL and one data folder: it is
/// placed on the accelerator silo only (CPU fallback off) or on a CPU silo when fallback is on; killing the fitting
/// silo with SIGKILL leaves no half-registered or promoted detector, and the job fits again once an eligible silo is
/// back; uploads without a map are refused (and nothing stored) until a detector is promoted, then get their map from it.
/// </summary>
[Trait(TestCategories.Trait, TestCategories.Cluster)]
[Collection(PostgresCollection.Name)]
public class DetectorClusterTests(PostgresServer postgres, ITestOutputHelper output)
{
    private const string Line = "raw-line";
    private const int Images = 80;

    /// <summary>Hard cap per test; the kill test waits for a reminder tick (one minute) after the restart.</summary>
    private static readonly TimeSpan Budget = TimeSpan.FromMinutes(8);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    [Fact]
    public async Task KillTheAcceleratorSiloMidFit_NoCpuSiloTakesOver_TheFitRunsAgainThere_OneUnpromotedVersion_ThenRawUploadsGetMaps()
    {
        using var budget = new CancellationTokenSource(Budget);
        var clock = Stopwatch.StartNew();
        using var temp = TestData.NewTempFolder();
        var connection = await postgres.CreateDatabaseAsync() + ";Maximum Pool Size=30";
        await DatabaseSchema.InitialiseAsync(DatabaseTarget.Postgres(connection));
        var (normals, defective) = await LoadImagesAsync(temp.Combine("factory"));
        var data = temp.Combine("data");
        await ServeProcesses.RunAsync(output, async all =>
        {
            ServeProcess a, b;
            all.Add(a = ServeProcess.Start("a", data, connection, "cuda", new Dictionary<string, string>()));
            all.Add(b = ServeProcess.Start("b", data, connection, "cpu", new Dictionary<string, string>()));
            var siloA = (await a.WaitHealthyAsync(2, TimeSpan.FromSeconds(60))).GetProperty("silo").GetString()!;
            var siloB = (await b.WaitHealthyAsync(2, TimeSpan.FromSeconds(60))).GetProperty("silo").GetString()!;
            output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: silos up: A {siloA} (cuda), B {siloB} (cpu, no fallback)");
            await CreateLineAsync(b);

            // Before any detector is promoted an upload without a map is refused, and nothing is stored for it.
            using (var refused = await PostRawAsync(b, defective[0], budget.Token))
            {
                Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
                Assert.Contains("learn a detector first", await refused.Content.ReadAsStringAsync(budget.Token));
            }

            using (var missing = await b.Http.GetAsync($"/api/lines/{Line}/images/{defective[0].Id}", budget.Token))
            {
                Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            }

            await UploadNormalsAsync(b, normals, budget.Token);
            using var started = await b.Http.PostAsync($"/api/lines/{Line}/detector", null, budget.Token);
            Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
            var startedStatus = (await started.Content.ReadFromJsonAsync<DetectorJobStatus>(Json, budget.Token))!;
            a.KillHard();
            var killedAt = clock.Elapsed;
            Assert.Equal(TrainingState.Running, startedStatus.State);
            Assert.Equal(siloA, startedStatus.SiloAddress);
            output.WriteLine($"{killedAt.TotalSeconds:0.0} s: fit {startedStatus.JobId} started on A with {normals.Count} normal images; kill -9 A at once");

            await b.WaitHealthyAsync(1, TimeSpan.FromSeconds(60));
            output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: B sees A dead; the job must wait for an accelerator silo");
            // While no accelerator silo is up the job stays unfinished and no version exists.
            var whileDown = await ReadAsync<LineDetectors>(b, $"/api/lines/{Line}/detectors", budget.Token);
            Assert.Empty(whileDown.Versions);

            var a2 = ServeProcess.Start("a2", data, connection, "cuda", new Dictionary<string, string>());
            all.Add(a2);
            var siloA2 = (await a2.WaitHealthyAsync(2, TimeSpan.FromSeconds(60))).GetProperty("silo").GetString()!;
            output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: A restarted as {siloA2}");

            var seen = new HashSet<string>(StringComparer.Ordinal);
            var final = await WaitForFitAsync(b, seen, TimeSpan.FromMinutes(5), budget.Token);
            output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: fit {final.State} on {final.SiloAddress}: {final.Message} (silos seen while it ran: {string.Join(", ", seen)})");
            Assert.Equal(TrainingState.Completed, final.State);
            Assert.Equal(startedStatus.JobId, final.JobId);
            Assert.Equal(siloA2, final.SiloAddress);
            Assert.DoesNotContain(siloB, seen);

            // One version, not promoted: a fit promotes nothing by itself, and the lost first attempt registered nothing.
            var detectors = await ReadAsync<LineDetectors>(b, $"/api/lines/{Line}/detectors", budget.Token);
            var version = Assert.Single(detectors.Versions);
            Assert.Null(detectors.Promoted);
            Assert.Null(version.PromotedAt);
            Assert.Equal(final.DetectorVersion, version.Version);
            Assert.Equal(normals.Count, version.NormalImages);
            using (var promoted = await b.Http.PostAsync($"/api/lines/{Line}/detectors/{version.Version}/promote", null, budget.Token))
            {
                Assert.Equal(HttpStatusCode.OK, promoted.StatusCode);
            }

            // Uploads without a map through either silo: the promoted detector makes the map, stored as an artefact.
            var store = new FileArtefactStore(Path.Combine(data, "artefacts"));
            var withRegions = 0;
            foreach (var (image, index) in defective.Select((image, index) => (image, index)))
            {
                using var response = await PostRawAsync(index % 2 == 0 ? a2 : b, image, budget.Token);
                Assert.True(response.StatusCode == HttpStatusCode.Created, $"{image.Id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(budget.Token)}");
                var result = (await response.Content.ReadFromJsonAsync<ImageResult>(Json, budget.Token))!;
                Assert.NotNull(result.Map);
                Assert.True(File.Exists(store.PathOf(result.Map)), $"{image.Id}: the map artefact is missing");
                withRegions += result.Regions.Length > 0 ? 1 : 0;
            }

            Assert.True(withRegions > 0, "no defective image got a region from the detector's maps");
            output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: {defective.Count} raw uploads acknowledged with maps, {withRegions} with regions (machine load {ClusterProbe.LoadAverage()})");
        });
    }

    [Fact]
    public async Task WithCpuFallbackOn_TheFitRunsOnACpuSilo()
    {
        using var budget = new CancellationTokenSource(Budget);
        using var temp = TestData.NewTempFolder();
        var connection = await postgres.CreateDatabaseAsync() + ";Maximum Pool Size=30";
        await DatabaseSchema.InitialiseAsync(DatabaseTarget.Postgres(connection));
        var (normals, _) = await LoadImagesAsync(temp.Combine("factory"));
        var data = temp.Combine("data");
        await ServeProcesses.RunAsync(output, async all =>
        {
            ServeProcess a, b;
            all.Add(a = ServeProcess.Start("a", data, connection, "cpu", new Dictionary<string, string>(), "--allow-cpu-fallback"));
            all.Add(b = ServeProcess.Start("b", data, connection, "cpu", new Dictionary<string, string>(), "--allow-cpu-fallback"));
            var silos = new[]
            {
                (await a.WaitHealthyAsync(2, TimeSpan.FromSeconds(60))).GetProperty("silo").GetString()!,
                (await b.WaitHealthyAsync(2, TimeSpan.FromSeconds(60))).GetProperty("silo").GetString()!,
            };
            await CreateLineAsync(b);
            await UploadNormalsAsync(a, normals, budget.Token);

            using var started = await b.Http.PostAsync($"/api/lines/{Line}/detector", null, budget.Token);
            Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
            var final = await WaitForFitAsync(b, new HashSet<string>(StringComparer.Ordinal), TimeSpan.FromMinutes(3), budget.Token);

            Assert.Equal(TrainingState.Completed, final.State);
            Assert.Contains(final.SiloAddress, silos);
            output.WriteLine($"fit {final.State} on CPU silo {final.SiloAddress}: {final.Message}");
        });
    }

    private static async Task CreateLineAsync(ServeProcess silo)
    {
        using var created = await silo.Http.PostAsJsonAsync("/api/lines", new { id = Line });
        Assert.True(created.IsSuccessStatusCode, $"create line: {(int)created.StatusCode} {await created.Content.ReadAsStringAsync()}");
    }

    private static async Task UploadNormalsAsync(ServeProcess silo, IReadOnlyList<RawImage> normals, CancellationToken cancellationToken)
    {
        foreach (var normal in normals)
        {
            using var form = new MultipartFormDataContent
            {
                { new ByteArrayContent(normal.Bytes), "image", normal.FileName },
                { new StringContent("true"), "normal" },
            };
            using var response = await silo.Http.PostAsync($"/api/lines/{Line}/images", form, cancellationToken);
            Assert.True(response.StatusCode == HttpStatusCode.Created, $"normal {normal.Id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }

    private static Task<HttpResponseMessage> PostRawAsync(ServeProcess silo, RawImage image, CancellationToken cancellationToken)
    {
        var form = new MultipartFormDataContent { { new ByteArrayContent(image.Bytes), "image", image.FileName } };
        return silo.Http.PostAsync($"/api/lines/{Line}/images", form, cancellationToken);
    }

    private static async Task<T> ReadAsync<T>(ServeProcess silo, string path, CancellationToken cancellationToken) =>
        (await silo.Http.GetFromJsonAsync<T>(path, Json, cancellationToken))!;

    /// <summary>Polls the fit through <paramref name="silo"/> until it is no longer running, noting the silo of every running status.</summary>
    private static async Task<DetectorJobStatus> WaitForFitAsync(ServeProcess silo, HashSet<string> seen, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        DetectorJobStatus? last = null;
        while (clock.Elapsed < timeout)
        {
            try
            {
                last = await ReadAsync<DetectorJobStatus>(silo, $"/api/lines/{Line}/detector", cancellationToken);
                if (last.State != TrainingState.Running)
                {
                    return last;
                }

                if (last.SiloAddress is { } address)
                {
                    seen.Add(address);
                }
            }
            catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                // The job's grain cannot be reached while no eligible silo is up: ask again.
            }

            await Task.Delay(500, cancellationToken);
        }

        throw new TimeoutException($"the detector fit did not finish within {timeout}; last status {last}");
    }

    /// <summary>The synthetic line's normal train-split images (for the detector) and some defective ones (sent raw).</summary>
    private static async Task<(List<RawImage> Normals, List<RawImage> Defective)> LoadImagesAsync(string folder)
    {
        var options = new SyntheticOptions(Lines: 1, ImagesPerLine: Images, Size: 256, NormalFraction: 0.5, Seed: 9);
        var summary = await Task.Run(() => SyntheticDatasetWriter.Write(options, folder));
        async Task<RawImage> ReadAsync(SyntheticImageRecord record) => new(
            Path.GetFileNameWithoutExtension(record.Row.Image), Path.GetFileName(record.Row.Image), await File.ReadAllBytesAsync(Path.Combine(summary.Folder, record.Row.Image)));
        var normals = await Task.WhenAll(summary.Images.Where(i => i.Row.Split == DetectorManifest.TrainSplit).Select(ReadAsync));
        var defective = await Task.WhenAll(summary.Images.Where(i => i.Defects.Count > 0).Take(6).Select(ReadAsync));
        Assert.True(normals.Length >= 10, $"only {normals.Length} normal train images");
        return ([.. normals], [.. defective]);
    }

    private sealed record RawImage(string Id, string FileName, byte[] Bytes);
}
