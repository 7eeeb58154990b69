using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using AnomalyNcd.Contracts.Images;
using AnomalyNcd.Core.Synthetic;
using AnomalyNcd.Grains.Artefacts;
using AnomalyNcd.Silo.Persistence;
using AnomalyNcd.Silo.Tests.Support;
using Xunit.Abstractions;

namespace AnomalyNcd.Silo.Tests.Cluster;

/// <summary>
/// Issue 5, acceptance 3: two real <c>serve</c> processes on one PostgreSQL (silo A advertises cuda, B cpu) and a
/// shared data folder. Images are uploaded to both; silo A is killed with SIGKILL while uploads are in flight and
/// while a training job runs on it; uploads continue on B (retrying what was not acknowledged); A restarts.
/// Every acknowledged image must be there with its results, once, and the job must resume from its checkpoint.
/// </summary>
[Trait(TestCategories.Trait, TestCategories.Cluster)]
[Collection(PostgresCollection.Name)]
public class MultiProcessClusterTests(PostgresServer postgres, ITestOutputHelper output)
{
    private const int ImageCount = 500;
    private const int Workers = 4;
    private const int TrainAfter = 100;   // acknowledged images before training starts
    private const int HoldAt = 420;       // uploads beyond this wait for the kill, so the kill is always mid-ingest
    private const int Epochs = 6;
    private const string Line = "cluster-line";

    /// <summary>Hard cap. Meant to take 2–3 minutes on a quiet 2-core machine; the margin is for a machine shared with builds (load 25–30 on 2 cores: 6+ minutes).</summary>
    private static readonly TimeSpan Budget = TimeSpan.FromMinutes(10);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    [Fact]
    public async Task KillCudaSiloMidIngestAndMidTraining_AcknowledgedImagesSurviveAndTrainingResumes()
    {
        using var budget = new CancellationTokenSource(Budget);
        var clock = Stopwatch.StartNew();
        using var temp = TestData.NewTempFolder();
        // Two silos × the pool must stay under the server's max_connections (100): a resumed job reads hundreds of grains at once.
        var connection = await postgres.CreateDatabaseAsync() + ";Maximum Pool Size=30";
        await DatabaseSchema.InitialiseAsync(DatabaseTarget.Postgres(connection));
        var uploads = await LoadImagesAsync();
        var data = temp.Combine("data");
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: {uploads.Count} synthetic 256×256 images with maps ready (machine load {ClusterProbe.LoadAverage()})");

        // Test-only knobs: a tiny discovery model and a pause per epoch, so a 6-epoch job is slow enough to interrupt.
        var environment = new Dictionary<string, string>(ServeProcess.TinyTraining);
        var silos = new SiloPair();
        await ServeProcesses.RunAsync(output, async all =>
        {
            all.Add(silos.A = ServeProcess.Start("a", data, connection, "cuda", environment));
            all.Add(silos.B = ServeProcess.Start("b", data, connection, "cpu", environment));
            var healthA = await silos.A.WaitHealthyAsync(2, TimeSpan.FromSeconds(60));
            var healthB = await silos.B.WaitHealthyAsync(2, TimeSpan.FromSeconds(60));
            Assert.Equal("cuda", healthA.GetProperty("accelerator").GetString());
            Assert.Equal("cpu", healthB.GetProperty("accelerator").GetString());
            var siloA = healthA.GetProperty("silo").GetString()!;
            output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: silos up: A {siloA} (cuda), B {healthB.GetProperty("silo").GetString()} (cpu)");

            var created = await silos.B.Http.PostAsJsonAsync("/api/lines", new { id = Line, calibrationMin = 0f, calibrationMax = 255f });
            Assert.True(created.IsSuccessStatusCode, $"create line: {(int)created.StatusCode} {await created.Content.ReadAsStringAsync()}");

            // Ingest on both silos alternately; a failed or unanswered upload is retried on the other silo.
            var acknowledged = new ConcurrentDictionary<string, int>();
            var killed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var next = -1;
            var retries = 0;
            async Task WorkerAsync()
            {
                for (var i = Interlocked.Increment(ref next); i < uploads.Count; i = Interlocked.Increment(ref next))
                {
                    if (i >= HoldAt)
                    {
                        await killed.Task.WaitAsync(budget.Token);
                    }

                    if (silos.Slow)
                    {
                        await Task.Delay(300, budget.Token);
                    }

                    for (var attempt = 0; !await TryUploadAsync(silos.Pick(i + attempt), uploads[i], budget.Token); attempt++)
                    {
                        Interlocked.Increment(ref retries);
                        await Task.Delay(200, budget.Token);
                    }

                    acknowledged[uploads[i].Id] = i;
                }
            }

            var ingestClock = Stopwatch.StartNew();
            var workers = Enumerable.Range(0, Workers).Select(_ => Task.Run(WorkerAsync)).ToArray();
            await ClusterProbe.WaitUntilAsync(() => acknowledged.Count >= TrainAfter || workers.Any(w => w.IsFaulted), TimeSpan.FromSeconds(60), budget.Token);
            var rate = acknowledged.Count / ingestClock.Elapsed.TotalSeconds;
            output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: ingest rate with both silos up: {rate:0.0} images/s ({acknowledged.Count} images, {Workers} concurrent uploads)");

            // Training lands on the cuda silo; uploads slow down so the kill comes while both are in progress.
            silos.Slow = true;
            var started = await silos.B.Http.PostAsJsonAsync($"/api/lines/{Line}/training", new { epochs = Epochs, classCount = 3, seed = 1 });
            Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
            var startedStatus = await started.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(siloA, startedStatus.GetProperty("siloAddress").GetString());
            var beforeKill = await WaitForTrainingAsync(silos, s => Epoch(s) >= 1 || State(s) != "Running", TimeSpan.FromMinutes(6), budget.Token);
            Assert.True(State(beforeKill.Status) == "Running", $"training was expected to still run: {beforeKill.Status}");

            var acknowledgedAtKill = acknowledged.Count;
            silos.A.KillHard();
            var killedAt = clock.Elapsed;
            silos.ADown = true;
            silos.Slow = false;
            killed.SetResult();
            output.WriteLine($"{killedAt.TotalSeconds:0.0} s: kill -9 silo A at training epoch {Epoch(beforeKill.Status)} of {Epochs}, {acknowledgedAtKill} of {ImageCount} images acknowledged");
            Assert.InRange(acknowledgedAtKill, TrainAfter, ImageCount - 1);

            await silos.B.WaitHealthyAsync(1, TimeSpan.FromSeconds(60));
            var detected = clock.Elapsed - killedAt;
            output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: silo death detected by B after {detected.TotalSeconds:0.0} s ({acknowledged.Count} acknowledged)");

            var restarted = ServeProcess.Start("a2", data, connection, "cuda", environment);
            all.Add(restarted);
            var siloA2 = (await restarted.WaitHealthyAsync(2, TimeSpan.FromSeconds(60))).GetProperty("silo").GetString()!;
            var restartedAt = clock.Elapsed;
            silos.A = restarted;
            silos.ADown = false;
            output.WriteLine($"{restartedAt.TotalSeconds:0.0} s: silo A restarted as {siloA2}");

            var resumed = await WaitForTrainingAsync(silos, s => SiloOf(s) == siloA2 && Epoch(s) > 0, TimeSpan.FromSeconds(180), budget.Token);
            output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: training resumed on {siloA2} {(clock.Elapsed - restartedAt).TotalSeconds:0.0} s after the restart ({(clock.Elapsed - killedAt).TotalSeconds:0.0} s after the kill), epoch {Epoch(resumed.Status)}");
            var final = await WaitForTrainingAsync(silos, s => State(s) != "Running", TimeSpan.FromMinutes(6), budget.Token);

            await Task.WhenAll(workers);
            output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: all {acknowledged.Count} uploads acknowledged ({retries} retried attempts)");
            var message = final.Status.GetProperty("message").GetString() ?? "";
            output.WriteLine($"training: {State(final.Status)} on {SiloOf(final.Status)}: {message}");

            // The job finished on the restarted cuda silo, resumed from a checkpointed epoch.
            Assert.Equal("Completed", State(final.Status));
            Assert.Equal(siloA2, SiloOf(final.Status));
            var resumedFrom = Regex.Match(message, @"resumed from epoch (\d+)");
            Assert.True(resumedFrom.Success, $"no resume in '{message}'");
            Assert.InRange(int.Parse(resumedFrom.Groups[1].Value), 1, Epochs - 1);

            await AssertImagesAsync(silos.B, acknowledged.Keys.ToHashSet(), new FileArtefactStore(Path.Combine(data, "artefacts")), budget.Token);
            output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: every acknowledged image present once with its results (whole test {clock.Elapsed.TotalSeconds:0} s, machine load {ClusterProbe.LoadAverage()})");
        });
    }

    private static async Task AssertImagesAsync(ServeProcess silo, HashSet<string> acknowledged, FileArtefactStore store, CancellationToken cancellationToken)
    {
        Assert.Equal(ImageCount, acknowledged.Count);
        var listed = await ClusterProbe.ListImageIdsAsync(silo, Line, cancellationToken);

        var duplicates = listed.GroupBy(id => id).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(duplicates.Count == 0, $"duplicates in the line's image list: {string.Join(", ", duplicates.Take(10))}");
        Assert.Empty(acknowledged.Except(listed));

        var problems = new ConcurrentBag<string>();
        var withRegions = 0;
        await Parallel.ForEachAsync(acknowledged, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (id, ct) =>
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

            if (image.Status != ImageStatus.NoAnomaly && image.Regions.Length == 0)
            {
                problems.Add($"{id}: {image.Status} without regions");
            }

            if (image.Regions.Length > 0)
            {
                Interlocked.Increment(ref withRegions);
            }

            foreach (var region in image.Regions)
            {
                if (!File.Exists(store.PathOf(region.Crop)) || !File.Exists(store.PathOf(region.CropMask)))
                {
                    problems.Add($"{id}: region {region.Key.Index} crop artefact missing");
                }
            }
        });
        Assert.True(problems.IsEmpty, string.Join("\n", problems.Take(20)));
        Assert.True(withRegions > ImageCount / 4, $"only {withRegions} images have regions");
    }

    /// <summary>
    /// Renders the synthetic line with Core's writer (deterministic, so it is kept in a temp cache between runs)
    /// and reads every image and map into memory for uploading.
    /// </summary>
    private static async Task<List<Upload>> LoadImagesAsync()
    {
        var options = new SyntheticOptions(Lines: 1, ImagesPerLine: ImageCount, Size: 256, NormalFraction: 0.5, Seed: 5);
        var folder = Path.Combine(Path.GetTempPath(), "anomalyncd-test-cache", $"synthetic-{options.ImagesPerLine}-{options.Size}-{options.NormalFraction}-{options.Seed}");
        if (!File.Exists(Path.Combine(folder, SyntheticDatasetWriter.ManifestFileName)))
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }

            await Task.Run(() => SyntheticDatasetWriter.Write(options, folder));
        }

        var line = Directory.GetDirectories(folder).Single();
        var uploads = new List<Upload>();
        foreach (var image in Directory.GetFiles(Path.Combine(line, "images"), "*.png").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(image);
            uploads.Add(new Upload(Path.GetFileNameWithoutExtension(name), name, await File.ReadAllBytesAsync(image), await File.ReadAllBytesAsync(Path.Combine(line, "maps", name))));
        }

        Assert.Equal(ImageCount, uploads.Count);
        return uploads;
    }

    /// <summary>One upload attempt; true when the API acknowledged it (2xx). Any other answer or a broken connection is retried.</summary>
    private static async Task<bool> TryUploadAsync(ServeProcess silo, Upload upload, CancellationToken cancellationToken)
    {
        try
        {
            using var form = new MultipartFormDataContent
            {
                { new ByteArrayContent(upload.Image), "image", upload.FileName },
                { new ByteArrayContent(upload.Map), "map", upload.FileName },
                { new StringContent(upload.Id), "id" },
            };
            using var response = await silo.Http.PostAsync($"/api/lines/{Line}/images", form, cancellationToken);
            if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Conflict or HttpStatusCode.UnprocessableEntity or HttpStatusCode.UnsupportedMediaType)
            {
                // These say the upload itself is wrong; retrying cannot help.
                throw new InvalidOperationException($"upload {upload.Id} to {silo.Name} refused: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
            }

            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }

    /// <summary>Polls the training status through whichever silo is up (calls fail while the job's silo is down) until <paramref name="done"/>.</summary>
    private static async Task<(JsonElement Status, TimeSpan At)> WaitForTrainingAsync(SiloPair silos, Func<JsonElement, bool> done, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        JsonElement? last = null;
        while (clock.Elapsed < timeout)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                using var response = await silos.B.Http.GetAsync($"/api/lines/{Line}/training", cancellationToken).WaitAsync(TimeSpan.FromSeconds(15), cancellationToken);
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
                        return (status, clock.Elapsed);
                    }
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TimeoutException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                // The silo that hosts the job is gone and not yet declared dead: try again.
            }

            await Task.Delay(250, cancellationToken);
        }

        throw new TimeoutException($"training did not get there within {timeout}; last status {last}");
    }

    private static string? State(JsonElement status) => status.GetProperty("state").GetString();

    private static int Epoch(JsonElement status) => status.GetProperty("epoch").GetInt32();

    private static string? SiloOf(JsonElement status) => status.GetProperty("siloAddress").GetString();

    private sealed record Upload(string Id, string FileName, byte[] Image, byte[] Map);

    /// <summary>The two silos as the uploaders see them: A is replaced when it restarts, and skipped while it is down.</summary>
    private sealed class SiloPair
    {
        private volatile ServeProcess? a;
        private volatile ServeProcess? b;
        private volatile bool aDown;
        private volatile bool slow;

        public ServeProcess A { get => a!; set => a = value; }

        public ServeProcess B { get => b!; set => b = value; }

        public bool ADown { get => aDown; set => aDown = value; }

        public bool Slow { get => slow; set => slow = value; }

        public ServeProcess Pick(int turn) => !aDown && turn % 2 == 0 ? A : B;
    }
}
