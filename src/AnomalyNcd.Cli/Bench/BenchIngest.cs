using System.Diagnostics;
using System.Globalization;
using AnomalyNcd.Cli.Api;
using AnomalyNcd.Cli.Commands;
using AnomalyNcd.Cli.Ingest;
using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Diagnostics;
using AnomalyNcd.Core.Synthetic;
using AnomalyNcd.Grains.Processing;
using AnomalyNcd.Silo.Hosting;
using AnomalyNcd.Silo.Persistence;
using AnomalyNcd.Silo.Security;
using Microsoft.AspNetCore.Builder;

namespace AnomalyNcd.Cli.Bench;

/// <summary>
/// The load generator behind <c>bench ingest</c>: generates the images once, starts (or targets) a silo host,
/// creates a calibrated line, then keeps at most C uploads in flight (and starts at most R per second) for the
/// duration, and prints acknowledged count, errors, latency percentiles, the sustained rate and, for an
/// in-process silo, where the time went per stage.
/// </summary>
internal static class BenchIngest
{
    private const int ShownErrors = 5;

    public static async Task<BenchIngestResult> RunAsync(BenchIngestSettings settings, CliContext context, CancellationToken cancel)
    {
        var output = context.Out;
        if (string.Equals(settings.Postgres, "auto", StringComparison.OrdinalIgnoreCase))
        {
            // Starting database servers is not the CLI's job; the script does it (and removes it afterwards).
            throw new InvalidInputException("--postgres", "'auto' is no longer supported: run bench/ingest-postgres.sh [bench ingest options], which starts a scratch PostgreSQL and passes it here");
        }

        var scratch = Path.Combine(Path.GetTempPath(), $"anomalyncd-bench-{Guid.NewGuid():N}"[..36]);
        Directory.CreateDirectory(scratch);
        PostgresServerCpu? databaseCpuMeter = null;
        WebApplication? host = null;
        try
        {
            var clock = Stopwatch.StartNew();
            var (uploads, normals) = Generate(settings, Path.Combine(scratch, "images"));
            output.WriteLine(settings.Raw
                ? $"generated {uploads.Count} distinct {settings.Size}x{settings.Size} images to send without maps and {normals.Count} normal images for the line's detector in {clock.Elapsed.TotalSeconds:F1} s"
                : $"generated {uploads.Count} distinct {settings.Size}x{settings.Size} images with maps in {clock.Elapsed.TotalSeconds:F1} s");

            IReadOnlyList<string> urls;
            string database;
            var durability = "durability not checked (a running API's database)";
            // The in-process silo gets a key minted here; a running API needs the caller's (--api-key).
            string? apiKey = ApiKeyGrant.NewKey();
            if (settings.Url is not null)
            {
                urls = settings.Urls;
                apiKey = settings.ApiKey;
                database = "the target's database";
            }
            else
            {
                string? connection = settings.Postgres;
                if (connection is not null)
                {
                    await DatabaseSchema.InitialiseAsync(DatabaseTarget.Postgres(connection), cancel);
                    databaseCpuMeter = await PostgresServerCpu.FindAsync(connection, cancel);
                }

                database = connection is null ? "embedded SQLite" : "PostgreSQL";
                host = await AnomalyNcdServer.BuildAsync(new AnomalyNcdServerOptions
                {
                    DataFolder = Path.Combine(scratch, "data"),
                    PostgresConnectionString = connection,
                    HttpPort = 0,
                    SiloPort = 0,
                    GatewayPort = 0,
                    Accelerator = "cpu",
                    AllowCpuFallback = true,
                    ClusterId = $"bench-{Guid.NewGuid():N}"[..16],
                    ApiKeys = [ApiKeyGrant.ForKey("bench", ApiRoles.Operator, apiKey)],
                }, cancel);
                await host.StartAsync(cancel);
                urls = [host.GetBoundUrl()];
                var target = connection is null ? DatabaseTarget.SqliteInDataFolder(Path.Combine(scratch, "data")) : DatabaseTarget.Postgres(connection);
                durability = (await DatabaseDurability.ReadAsync(target, cancel)).Describe();
            }

            var clients = urls.Select(target => ApiKeyOption.Authorize(
                new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = settings.Concurrency, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
                {
                    BaseAddress = new Uri(target.TrimEnd('/') + "/"),
                    Timeout = TimeSpan.FromMinutes(2),
                },
                apiKey)).ToList();
            using var disposeClients = new ClientList(clients);
            // One attempt per request: the bench counts every answer as it comes, a retry would hide a 503.
            var targets = clients.Select(http => new AnomalyNcdApiClient(http, maxAttempts: 1)).ToList();
            var line = settings.Line ?? $"bench-{DateTime.UtcNow:HHmmss}-{Guid.NewGuid():N}"[..24];
            await CreateLineAsync(targets[0], line, cancel);
            if (settings.Raw)
            {
                await LineDetectorLearning.LearnAsync(targets[0], line, normals, output, cancel);
            }

            await using var responses = settings.ResponsesFile is null ? null : new ResponseLog(settings.ResponsesFile);
            output.WriteLine(
                $"bench ingest: line {line} at {string.Join(", ", urls)}, {database}, {durability}, concurrency {settings.Concurrency}, {(settings.Raw ? "raw images (the line's detector makes each map), " : string.Empty)}{(settings.Batch == 1 ? "single uploads" : $"batches of {settings.Batch}")}, rate {(settings.Rate > 0 ? settings.Rate.ToString("0.##", CultureInfo.InvariantCulture) + "/s" : "unbounded")}, {settings.DurationSeconds:0.##} s");

            output.Flush();
            var load = new LoadGenerator(targets, line, uploads, settings, responses);
            if (settings.Warmup > 0)
            {
                var warm = await load.RunCountAsync(settings.Warmup, cancel);
                output.WriteLine($"warm-up: {warm.Acknowledged} acknowledged, {warm.Errors} errors (not counted)");
            }

            if (host is not null && settings.SettleSeconds > 0)
            {
                output.WriteLine($"warm-up until the JIT settles (at most {settings.SettleSeconds:0.##} s) …");
                output.Flush();
                var settle = await BenchJitSettle.WarmAsync(load, TimeSpan.FromSeconds(settings.SettleSeconds), cancel);
                output.WriteLine(
                    $"warm-up: {(settle.Settled ? "JIT settled" : "JIT still compiling, measuring anyway")} after {settle.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)} s "
                    + $"({settle.MethodsCompiled} methods compiled in {settle.JitTime.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)} s of JIT time; {settle.Acknowledged} acknowledged, {settle.Errors} errors, not counted)");
            }

            if (settings.TrainEpochs > 0)
            {
                await BenchModel.TrainAndPromoteAsync(targets[0], line, settings.TrainEpochs, output, cancel);
                var warm = await load.RunCountAsync(settings.Warmup, cancel);
                output.WriteLine($"warm-up with the model: {warm.Acknowledged} acknowledged, {warm.Errors} errors (not counted)");
            }

            // Listens from here on, so the warm-up is not counted.
            using var stages = new StageReader(IngestMetrics.Stages);
            var ownCpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var databaseCpuBefore = databaseCpuMeter?.CpuTime() ?? TimeSpan.Zero;
            var storage = host is null ? null : await StorageCounters.StartAsync(settings.Postgres, Path.Combine(scratch, "data", "artefacts"), cancel);
            var measured = await load.RunForAsync(TimeSpan.FromSeconds(settings.DurationSeconds), cancel);
            var ownCpu = Process.GetCurrentProcess().TotalProcessorTime - ownCpuBefore;
            var databaseCpu = (databaseCpuMeter?.CpuTime() ?? TimeSpan.Zero) - databaseCpuBefore;
            var rate = measured.Acknowledged / measured.Elapsed.TotalSeconds;
            output.WriteLine($"acknowledged {measured.Acknowledged}, errors {measured.Errors}, in {measured.Elapsed.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture)} s");
            output.WriteLine($"latency ms{(settings.Batch > 1 ? $" (per request of {settings.Batch} images)" : string.Empty)}: p50 {Ms(measured.Percentile(0.50))}, p95 {Ms(measured.Percentile(0.95))}, p99 {Ms(measured.Percentile(0.99))}");
            foreach (var problem in measured.Problems.Take(ShownErrors))
            {
                output.WriteLine($"error: {problem}");
            }

            output.WriteLine($"responses: {string.Join(", ", measured.StatusCounts.Select(pair => $"{(pair.Key == 0 ? "no answer" : pair.Key.ToString(CultureInfo.InvariantCulture))} x{pair.Value}"))}");
            output.WriteLine($"sustained: {rate.ToString("F1", CultureInfo.InvariantCulture)} images/s");
            output.Flush();
            if (host is not null)
            {
                PrintCpu(output, measured, ownCpu, databaseCpuMeter is null ? null : databaseCpu);
                if (storage is not null && measured.Acknowledged > 0)
                {
                    output.WriteLine(await storage.PerImageAsync(measured.Acknowledged, cancel));
                }

                PrintStages(output, stages, measured.Acknowledged + measured.Errors);
            }

            await ReportInferenceAsync(targets, line, output, cancel);
            return new BenchIngestResult(measured.Acknowledged, measured.Errors, measured.Elapsed, rate);
        }
        finally
        {
            if (host is not null)
            {
                await host.StopAsync(CancellationToken.None);
                await host.DisposeAsync();
            }

            TryDelete(scratch);
        }
    }

    /// <summary>
    /// The synthetic factory's images and 8-bit maps (0..255, so the line is calibrated 0..255), loaded into memory.
    /// With <see cref="BenchIngestSettings.Raw"/> the train split's normal images are kept apart for the line's
    /// detector and the other images are sent without their maps.
    /// </summary>
    private static (IReadOnlyList<BenchUpload> Uploads, IReadOnlyList<ImageUpload> Normals) Generate(BenchIngestSettings settings, string folder)
    {
        var summary = SyntheticDatasetWriter.Write(new SyntheticOptions(Lines: 1, ImagesPerLine: settings.Images, Size: settings.Size, Seed: 11), folder);
        var normals = settings.Raw ? summary.Images.Where(record => record.Row.Split == AnomalyNcd.Core.Detection.DetectorManifest.TrainSplit).ToList() : [];
        var streamed = summary.Images.Except(normals);
        return (
            [.. streamed.Select(record => new BenchUpload(
                Path.GetFileName(record.Row.Image),
                File.ReadAllBytes(Path.Combine(summary.Folder, record.Row.Image)),
                settings.Raw ? null : Path.GetFileName(record.Row.AnomalyMap!),
                settings.Raw ? null : File.ReadAllBytes(Path.Combine(summary.Folder, record.Row.AnomalyMap!))))],
            [.. normals.Select(record => new ImageUpload(
                record.Row.Image, Path.GetFileNameWithoutExtension(record.Row.Image), Path.GetFileName(record.Row.Image), File.ReadAllBytes(Path.Combine(summary.Folder, record.Row.Image))))]);
    }

    /// <summary>Creates the line; one that exists already (409) is used as it is.</summary>
    private static async Task CreateLineAsync(AnomalyNcdApiClient api, string line, CancellationToken cancel)
    {
        try
        {
            await api.CreateLineAsync(line, LineSettings.Empty with { CalibrationMin = 0f, CalibrationMax = 255f }, cancel);
        }
        catch (HttpRequestException exists) when (exists.StatusCode == System.Net.HttpStatusCode.Conflict)
        {
            // The line exists already (a rerun into --line): it is used as it is.
        }
    }

    /// <summary>
    /// CPU spent per acknowledged image, which does not depend on what else loads the machine: this process (API, silo,
    /// load generator) and, for a PostgreSQL server on this machine, the database; and the rate that cost allows on all cores.
    /// </summary>
    private static void PrintCpu(TextWriter output, LoadRun measured, TimeSpan ownCpu, TimeSpan? databaseCpu)
    {
        if (measured.Acknowledged == 0)
        {
            return;
        }

        var ownPerImage = ownCpu.TotalMilliseconds / measured.Acknowledged;
        var databasePerImage = (databaseCpu ?? TimeSpan.Zero).TotalMilliseconds / measured.Acknowledged;
        var total = ownPerImage + databasePerImage;
        var cores = Environment.ProcessorCount;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"cpu per image: {ownPerImage:F1} ms this process (API + silo + load generator){(databaseCpu is null ? "" : $" + {databasePerImage:F1} ms PostgreSQL")}; {cores} cores allow at most {cores * 1000 / total:F0} images/s at this cost"));
    }

    /// <summary>Mean milliseconds per call and per upload of each measured stage (in-process silo only).</summary>
    private static void PrintStages(TextWriter output, StageReader reader, long uploads)
    {
        var stages = reader.Snapshot();
        if (stages.Count == 0)
        {
            return;
        }

        output.WriteLine("stages (total CPU+wait time over all concurrent uploads; ms per call, ms per upload, calls):");
        foreach (var (stage, calls, total) in stages)
        {
            var perCall = calls == 0 ? 0 : total.TotalMilliseconds / calls;
            var perUpload = uploads == 0 ? 0 : total.TotalMilliseconds / uploads;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {stage,-24} {perCall,8:F2} {perUpload,8:F2} {calls,8}"));
        }
    }

    /// <summary>Model inference is measured apart from ingest: only when the line has a promoted model, which a fresh bench line never has.</summary>
    private static async Task ReportInferenceAsync(IReadOnlyList<AnomalyNcdApiClient> targets, string line, TextWriter output, CancellationToken cancel)
    {
        // Any target that answers will do: under fault tests one of them may be down by now.
        LineSummary? answered = null;
        foreach (var api in targets)
        {
            try
            {
                answered = await api.GetLineAsync(line, cancel);
                if (answered is not null)
                {
                    break;
                }
            }
            catch (HttpRequestException)
            {
            }
        }

        if (answered is not { } summary)
        {
            output.WriteLine("inference: not checked (no target answered)");
            return;
        }

        var promoted = summary.PromotedModel is not null;
        output.WriteLine(promoted
            ? "inference: the line has a promoted model; the rate above includes classification"
            : "inference: skipped (the bench line has no promoted model; the rate above is binarise + crop + persist only)");
    }

    private static string Ms(TimeSpan value) => value.TotalMilliseconds.ToString("F1", CultureInfo.InvariantCulture);

    private static void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}

/// <summary>Disposes the target clients together.</summary>
internal sealed class ClientList(IReadOnlyList<HttpClient> clients) : IDisposable
{
    public void Dispose()
    {
        foreach (var client in clients)
        {
            client.Dispose();
        }
    }
}

/// <summary>One generated image and its map, ready to post.</summary>
internal sealed record BenchUpload(string ImageName, byte[] Image, string? MapName, byte[]? Map);
