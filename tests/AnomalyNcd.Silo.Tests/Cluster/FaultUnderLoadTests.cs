using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using AnomalyNcd.Contracts.Images;
using AnomalyNcd.Core.Synthetic;
using AnomalyNcd.Silo.Persistence;
using AnomalyNcd.Silo.Tests.Support;
using Xunit.Abstractions;

namespace AnomalyNcd.Silo.Tests.Cluster;

/// <summary>
/// Issue 7, acceptance 2: faults while <c>anomalyncd bench ingest</c> drives a two-silo PostgreSQL cluster on loopback
/// (uploads taking turns between the silos): a silo killed, PostgreSQL restarted, the training silo killed, the
/// artefact store full. Each test prints the load held during the fault and the recovery time with the machine load.
/// </summary>
[Trait(TestCategories.Trait, TestCategories.Cluster)]
[Collection(PostgresCollection.Name)]
public class FaultUnderLoadTests(PostgresServer postgres, ITestOutputHelper output)
{
    private const string Line = "fault-line";

    /// <summary>Each test is cut off here (the issue allows 3 minutes a test).</summary>
    private static readonly TimeSpan Budget = TimeSpan.FromMinutes(3);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    [Fact]
    public async Task KillSiloUnderBenchLoad_AcknowledgedImagesSurviveOnce()
    {
        await RunAsync("cpu", new Dictionary<string, string>(), async (cluster, temp, clock, budget) =>
        {
            using var bench = BenchLoad.Start([cluster.A, cluster.B], Line, temp.Combine("responses.txt"), seconds: 45, rate: 8, concurrency: 4);
            await ClusterProbe.WaitUntilAsync(() => bench.AcknowledgedCount >= 20, TimeSpan.FromSeconds(60), budget);

            var killedAt = DateTimeOffset.UtcNow;
            var restarted = cluster.KillAndRestartA();
            output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: kill -9 silo A with {bench.AcknowledgedCount} images acknowledged; restarting it on the same ports");
            await restarted.WaitHealthyAsync(2, TimeSpan.FromSeconds(90));
            var backAt = DateTimeOffset.UtcNow;
            output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: silo A back in the cluster {(backAt - killedAt).TotalSeconds:0.0} s after the kill");

            output.WriteLine(await bench.WaitAsync(TimeSpan.FromSeconds(90), budget));
            var responses = bench.Responses();
            ReportLoad(responses, killedAt, backAt, "silo A down or rejoining");
            Assert.Contains(responses, r => r.Acknowledged && r.At > backAt);
            await AssertAcknowledgedPresentOnceAsync(cluster.B, responses, budget);
        });
    }

    [Fact]
    public async Task RestartPostgresUnderBenchLoad_RequestsAnswer503ThenRecoverWithoutSiloRestarts()
    {
        await RunAsync("cpu", new Dictionary<string, string>(), async (cluster, temp, clock, budget) =>
        {
            var probe = await OneUploadAsync(temp);
            using var bench = BenchLoad.Start([cluster.A, cluster.B], Line, temp.Combine("responses.txt"), seconds: 50, rate: 8, concurrency: 4);
            await ClusterProbe.WaitUntilAsync(() => bench.AcknowledgedCount >= 20, TimeSpan.FromSeconds(60), budget);

            // Outage: stop PostgreSQL, probe both silos directly for a while, start it again on the same port.
            var stoppedAt = DateTimeOffset.UtcNow;
            await postgres.StopAsync();
            output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: PostgreSQL stopped (pg_ctl stop -m fast) with {bench.AcknowledgedCount} images acknowledged (load {ClusterProbe.LoadAverage()})");
            var probes = new List<(int Status, string? RetryAfter, string? ContentType, string Id)>();
            var number = 0;
            try
            {
                var outage = Stopwatch.StartNew();
                while (outage.Elapsed < TimeSpan.FromSeconds(8))
                {
                    var silo = number % 2 == 0 ? cluster.A : cluster.B;
                    probes.Add(await TryUploadAsync(silo, probe, $"probe-{number++}", budget));
                    await Task.Delay(250, budget);
                }
            }
            finally
            {
                await postgres.StartAgainAsync();
            }

            var startedAt = DateTimeOffset.UtcNow;
            output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: PostgreSQL started again after {(startedAt - stoppedAt).TotalSeconds:0.0} s; outage probes: {Tally(probes.Select(p => p.Status))}");

            // Recovery: the silos are not touched; uploads must succeed again by themselves.
            var recovery = Stopwatch.StartNew();
            var recovered = false;
            while (!recovered && recovery.Elapsed < TimeSpan.FromSeconds(60))
            {
                var silo = number % 2 == 0 ? cluster.A : cluster.B;
                var answer = await TryUploadAsync(silo, probe, $"probe-{number++}", budget);
                probes.Add(answer);
                recovered = answer.Status is 200 or 201;
                if (!recovered)
                {
                    await Task.Delay(250, budget);
                }
            }

            Assert.True(recovered, $"uploads did not succeed again within 60 s of PostgreSQL's restart: {Tally(probes.Select(p => p.Status))}");
            var recoveredAt = DateTimeOffset.UtcNow;
            output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: uploads succeed again {recovery.Elapsed.TotalSeconds:0.0} s after PostgreSQL came back ({(recoveredAt - stoppedAt).TotalSeconds:0.0} s after it stopped)");

            output.WriteLine(await bench.WaitAsync(TimeSpan.FromSeconds(90), budget));
            var responses = bench.Responses();
            ReportLoad(responses, stoppedAt, recoveredAt, "PostgreSQL down or recovering");
            output.WriteLine($"bench responses during the outage: {Tally(responses.Where(r => r.At >= stoppedAt && r.At < startedAt).Select(r => r.Status))}");

            // Refusals during the outage are retryable: 503 problem details with Retry-After, and never a 500.
            var unavailable = probes.Where(p => p.Status == 503).ToList();
            Assert.NotEmpty(unavailable);
            Assert.All(unavailable, p => Assert.Equal("2", p.RetryAfter));
            Assert.All(unavailable, p => Assert.Equal("application/problem+json", p.ContentType));
            Assert.DoesNotContain(probes, p => p.Status == 500);
            Assert.DoesNotContain(responses, r => r.Status == 500);
            Assert.Contains(responses, r => r.Acknowledged && r.At > recoveredAt);

            var acknowledgedProbes = probes.Where(p => p.Status is 200 or 201).Select(p => new BenchResponse(recoveredAt, 201, p.Id));
            await AssertAcknowledgedPresentOnceAsync(cluster.B, [.. responses, .. acknowledgedProbes], budget);
        });
    }

    [Fact]
    public async Task KillTrainingSiloUnderLoad_JobResumesFromCheckpointOnTheOtherSilo()
    {
        // Both silos advertise cuda, so either may run the job; the tiny model and a pause per epoch make it interruptible.
        var environment = new Dictionary<string, string>(ServeProcess.TinyTraining);
        await RunAsync("cuda", environment, async (cluster, temp, clock, budget) =>
        {
            // A capped rate keeps the training set the same size however fast ingest has become (unbounded, a faster
            // ingest path filled 725 regions and the first epoch outlasted the wait below).
            using (var fill = BenchLoad.Start([cluster.A, cluster.B], Line, temp.Combine("fill.txt"), seconds: 8, rate: 15, concurrency: 4))
            {
                output.WriteLine(await fill.WaitAsync(TimeSpan.FromSeconds(60), budget));
                Assert.True(fill.AcknowledgedCount >= 20, $"only {fill.AcknowledgedCount} images for training");
            }

            var started = await cluster.B.Http.PostAsJsonAsync($"/api/lines/{Line}/training", new { epochs = 6, classCount = 3, seed = 1 }, budget);
            Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
            var jobSilo = (await started.Content.ReadFromJsonAsync<JsonElement>(budget)).GetProperty("siloAddress").GetString();
            var siloA = (await cluster.A.WaitHealthyAsync(2, TimeSpan.FromSeconds(10))).GetProperty("silo").GetString();
            var (victim, survivor) = jobSilo == siloA ? (cluster.A, cluster.B) : (cluster.B, cluster.A);
            var survivorAddress = (await survivor.WaitHealthyAsync(2, TimeSpan.FromSeconds(10))).GetProperty("silo").GetString();
            Assert.NotEqual(jobSilo, survivorAddress);

            // Under heavy machine load (40 on 2 cores) the first epoch alone took over a minute.
            var before = await WaitForTrainingAsync(survivor, s => Epoch(s) >= 1 || State(s) != "Running", TimeSpan.FromSeconds(100), budget);
            Assert.Equal("Running", State(before));

            // New images (own ids) keep arriving at the survivor from just before the kill until after the resume.
            using var bench = BenchLoad.Start([survivor], Line, temp.Combine("responses.txt"), seconds: 20, rate: 4, concurrency: 2, idPrefix: "r");
            await Task.Delay(TimeSpan.FromSeconds(3), budget);
            var killedAt = DateTimeOffset.UtcNow;
            victim.KillHard();
            output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: kill -9 silo {victim.Name} ({jobSilo}) running training at epoch {Epoch(before)} of 6; not restarted (load {ClusterProbe.LoadAverage()})");

            // The first status the survivor reports as the job's host must already carry the checkpointed epoch: a job
            // started over would report epoch 0 there. (Finishing the remaining epochs does not fit the 3-minute cap on a loaded machine.)
            var resumed = await WaitForTrainingAsync(survivor, s => SiloOf(s) == survivorAddress, TimeSpan.FromSeconds(60), budget);
            var resumedAt = DateTimeOffset.UtcNow;
            output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: training resumed on {survivor.Name} ({survivorAddress}) {(resumedAt - killedAt).TotalSeconds:0.0} s after the kill: {State(resumed)}, epoch {Epoch(resumed)}, {resumed.GetProperty("message").GetString()}");
            Assert.True(State(resumed) is "Running" or "Completed", $"unexpected state after the kill: {resumed}");
            Assert.True(Epoch(resumed) >= 1, $"the job started over instead of resuming: {resumed}");

            output.WriteLine(await bench.WaitAsync(TimeSpan.FromSeconds(90), budget));
            var responses = bench.Responses();
            ReportLoad(responses, killedAt, resumedAt, "training silo dead, job not yet resumed");
            var fillResponses = BenchLoad.ReadResponses(temp.Combine("fill.txt"));
            await AssertAcknowledgedPresentOnceAsync(survivor, [.. fillResponses, .. responses], budget);
        });
    }

    [Fact]
    public async Task FillArtefactQuotaUnderLoad_UploadsRefusedWith507AndNothingHalfWritten()
    {
        var environment = new Dictionary<string, string> { ["ANOMALYNCD_ARTEFACT_QUOTA_MB"] = "2" };
        await RunAsync("cpu", environment, async (cluster, temp, clock, budget) =>
        {
            using var bench = BenchLoad.Start([cluster.A, cluster.B], Line, temp.Combine("responses.txt"), seconds: 25, rate: 0, concurrency: 4);
            output.WriteLine(await bench.WaitAsync(TimeSpan.FromSeconds(90), budget));
            var responses = bench.Responses();
            var firstRefusal = responses.Where(r => r.Status == 507).Select(r => r.At).DefaultIfEmpty(DateTimeOffset.MaxValue).Min();
            output.WriteLine($"bench responses: {Tally(responses.Select(r => r.Status))}; first 507 at +{(firstRefusal - responses.Min(r => r.At)).TotalSeconds:0.0} s");
            ReportLoad(responses, firstRefusal, responses.Max(r => r.At), "store full");

            Assert.Contains(responses, r => r.Acknowledged);
            Assert.Contains(responses, r => r.Status == 507);
            Assert.All(responses, r => Assert.True(r.Status is 200 or 201 or 507, $"{r.Id}: unexpected status {r.Status}"));

            // A refusal is problem details and says why.
            var probe = await OneUploadAsync(temp);
            var refused = await TryUploadAsync(cluster.B, probe, "after-full", budget);
            Assert.Equal(507, refused.Status);
            Assert.Equal("application/problem+json", refused.ContentType);

            // Nothing half-written: no temporary or partial files, and every stored file still hashes to its name.
            var artefacts = Path.Combine(cluster.Data, "artefacts");
            var incoming = Path.Combine(artefacts, ".incoming");
            Assert.Empty(Directory.Exists(incoming) ? Directory.GetFiles(incoming) : []);
            var uploadsFolder = Path.Combine(cluster.Data, "uploads");
            Assert.Empty(Directory.Exists(uploadsFolder) ? Directory.GetFiles(uploadsFolder, "*", SearchOption.AllDirectories) : []);
            long stored = 0;
            foreach (var file in Directory.GetFiles(artefacts, "*", SearchOption.AllDirectories).Where(f => !f.StartsWith(incoming, StringComparison.Ordinal)))
            {
                var bytes = await File.ReadAllBytesAsync(file, budget);
                stored += bytes.Length;
                var expected = Path.GetFileName(Path.GetDirectoryName(file)) + Path.GetFileNameWithoutExtension(file);
                Assert.Equal(expected, Convert.ToHexStringLower(SHA256.HashData(bytes)));
            }

            output.WriteLine($"artefact store holds {stored / 1024.0 / 1024.0:0.00} MiB against a 2 MiB quota");
            // Each silo counts its own writes between recounts of the shared folder (every 5 s), and both started from
            // an empty count, so together they may admit up to one quota each before either refuses; derived crops
            // of accepted images come on top (the test's images give a few KiB of crops each, 1 MiB is ample).
            Assert.InRange(stored, 1, (2L * 2 * 1024 * 1024) + (1024 * 1024));

            // Refused uploads left no image behind; accepted ones are whole.
            var listed = await AssertAcknowledgedPresentOnceAsync(cluster.B, responses, budget);
            var refusedIds = responses.Where(r => r.Status == 507).Select(r => r.Id).Append("after-full").ToHashSet();
            Assert.Empty(refusedIds.Intersect(listed));
        });
    }

    /// <summary>Starts the cluster and the line, runs the scenario under the budget, prints the silo logs when it fails.</summary>
    private async Task RunAsync(string accelerator, Dictionary<string, string> environment, Func<TwoSiloCluster, TempFolder, Stopwatch, CancellationToken, Task> scenario)
    {
        using var budget = new CancellationTokenSource(Budget);
        var clock = Stopwatch.StartNew();
        using var temp = TestData.NewTempFolder();
        var connection = await postgres.CreateDatabaseAsync() + ";Maximum Pool Size=30";
        await DatabaseSchema.InitialiseAsync(DatabaseTarget.Postgres(connection));
        using var cluster = await TwoSiloCluster.StartAsync(temp.Combine("data"), connection, accelerator, environment);
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: two silos up (load {ClusterProbe.LoadAverage()})");
        try
        {
            var created = await cluster.B.Http.PostAsJsonAsync("/api/lines", new { id = Line, calibrationMin = 0f, calibrationMax = 255f }, budget.Token);
            Assert.True(created.IsSuccessStatusCode, $"create line: {(int)created.StatusCode} {await created.Content.ReadAsStringAsync(budget.Token)}");
            await scenario(cluster, temp, clock, budget.Token);
            output.WriteLine($"whole test {clock.Elapsed.TotalSeconds:0} s (load {ClusterProbe.LoadAverage()})");
        }
        catch
        {
            cluster.WriteLogs(output);
            throw;
        }
    }

    /// <summary>Every acknowledged image is listed exactly once and has a finished result; returns the listed ids.</summary>
    private static async Task<HashSet<string>> AssertAcknowledgedPresentOnceAsync(ServeProcess silo, IReadOnlyCollection<BenchResponse> responses, CancellationToken cancellationToken)
    {
        var acknowledged = responses.Where(r => r.Acknowledged).Select(r => r.Id).ToHashSet();
        Assert.NotEmpty(acknowledged);
        var listed = await ClusterProbe.ListImageIdsAsync(silo, Line, cancellationToken);
        var duplicates = listed.GroupBy(id => id).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(duplicates.Count == 0, $"duplicates in the line's image list: {string.Join(", ", duplicates.Take(10))}");
        var missing = acknowledged.Except(listed).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} acknowledged images missing: {string.Join(", ", missing.Take(10))}");

        var problems = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Parallel.ForEachAsync(listed, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (id, ct) =>
        {
            using var response = await silo.Http.GetAsync($"/api/lines/{Line}/images/{id}", ct);
            if (!response.IsSuccessStatusCode)
            {
                problems.Add($"{id}: GET {(int)response.StatusCode}");
                return;
            }

            var image = (await response.Content.ReadFromJsonAsync<ImageResult>(Json, ct))!;
            if (image.Status is not (ImageStatus.Binarised or ImageStatus.Classified or ImageStatus.NoAnomaly))
            {
                problems.Add($"{id}: status {image.Status}");
            }
        });
        Assert.True(problems.IsEmpty, string.Join("\n", problems.Take(20)));
        return [.. listed];
    }

    private void ReportLoad(IReadOnlyList<BenchResponse> responses, DateTimeOffset faultFrom, DateTimeOffset faultTo, string fault)
    {
        var first = responses.Min(r => r.At);
        var last = responses.Max(r => r.At);
        output.WriteLine(
            $"load held: {BenchLoad.RateBetween(responses, first, faultFrom):0.0} images/s before, {BenchLoad.RateBetween(responses, faultFrom, faultTo):0.0} images/s during ({fault}, {(faultTo - faultFrom).TotalSeconds:0.0} s), " +
            $"{BenchLoad.RateBetween(responses, faultTo, last):0.0} images/s after; responses {Tally(responses.Select(r => r.Status))} (load {ClusterProbe.LoadAverage()})");
    }

    private static string Tally(IEnumerable<int> statuses) =>
        string.Join(", ", statuses.GroupBy(s => s).OrderBy(g => g.Key).Select(g => $"{(g.Key == 0 ? "no answer" : g.Key.ToString(System.Globalization.CultureInfo.InvariantCulture))} x{g.Count()}"));

    /// <summary>One synthetic image and its map (Core's writer) for the test's own probe uploads.</summary>
    private static async Task<(byte[] Image, byte[] Map)> OneUploadAsync(TempFolder temp)
    {
        var summary = SyntheticDatasetWriter.Write(new SyntheticOptions(Lines: 1, ImagesPerLine: 2, Size: 128, Seed: 3), temp.Combine("probe"));
        var record = summary.Images[0];
        return (await File.ReadAllBytesAsync(Path.Combine(summary.Folder, record.Row.Image)), await File.ReadAllBytesAsync(Path.Combine(summary.Folder, record.Row.AnomalyMap!)));
    }

    /// <summary>One upload through the silo's client; status 0 when there was no answer within 20 s.</summary>
    private static async Task<(int Status, string? RetryAfter, string? ContentType, string Id)> TryUploadAsync(ServeProcess silo, (byte[] Image, byte[] Map) upload, string id, CancellationToken cancellationToken)
    {
        try
        {
            using var form = new MultipartFormDataContent
            {
                { new ByteArrayContent(upload.Image), "image", $"{id}.png" },
                { new ByteArrayContent(upload.Map), "map", $"{id}.png" },
                { new StringContent(id), "id" },
            };
            using var response = await silo.Http.PostAsync($"/api/lines/{Line}/images", form, cancellationToken).WaitAsync(TimeSpan.FromSeconds(20), cancellationToken);
            return ((int)response.StatusCode, response.Headers.RetryAfter?.ToString(), response.Content.Headers.ContentType?.MediaType, id);
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return (0, null, null, id);
        }
    }

    private static async Task<JsonElement> WaitForTrainingAsync(ServeProcess silo, Func<JsonElement, bool> done, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        JsonElement? last = null;
        while (clock.Elapsed < timeout)
        {
            try
            {
                using var response = await silo.Http.GetAsync($"/api/lines/{Line}/training", cancellationToken).WaitAsync(TimeSpan.FromSeconds(15), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    var status = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
                    last = status;
                    if (State(status) == "Failed")
                    {
                        throw new InvalidOperationException($"training failed: {status}");
                    }

                    if (done(status))
                    {
                        return status;
                    }
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TimeoutException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                // The job's silo is gone and not yet declared dead: ask again.
            }

            await Task.Delay(250, cancellationToken);
        }

        throw new TimeoutException($"training did not get there within {timeout}; last status {last}");
    }

    private static string? State(JsonElement status) => status.GetProperty("state").GetString();

    private static int Epoch(JsonElement status) => status.GetProperty("epoch").GetInt32();

    private static string? SiloOf(JsonElement status) => status.GetProperty("siloAddress").GetString();
}
