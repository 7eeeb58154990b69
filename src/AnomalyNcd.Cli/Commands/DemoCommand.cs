using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using AnomalyNcd.Cli.Api;
using AnomalyNcd.Cli.Demo;
using AnomalyNcd.Contracts;
using AnomalyNcd.Contracts.Images;
using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Maps;
using AnomalyNcd.Core.Synthetic;
using AnomalyNcd.Silo.Api;
using AnomalyNcd.Silo.Hosting;
using AnomalyNcd.Silo.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AnomalyNcd.Cli.Commands;

/// <summary>
/// <c>anomalyncd demo</c>: the product end to end on data it generates itself. Synthetic factory → an embedded
/// silo + HTTP API (SQLite under the output folder) → per line: calibration, ingest of a first batch through the
/// API, discovery through the training grain, promotion, online assignment of the remaining images with their
/// latency → a per-line summary against the ground truth; then the API keeps serving until Ctrl+C (or not, with --no-serve).
/// </summary>
internal static class DemoCommand
{
    public const int DefaultPort = 5080;
    public const int MinImages = 10;

    /// <summary>Share of each line's streamed images ingested before discovery; the rest arrive after promotion.</summary>
    public const double DiscoveryShare = 0.6;

    private const string Marker = "demo.marker";
    private static readonly TimeSpan TrainingPoll = TimeSpan.FromMilliseconds(500);

    public static Command Create(CliContext context)
    {
        var output = new Option<DirectoryInfo>("--out") { Description = "Output folder (default: ./demo-output): generated factory, silo data, results.csv. A previous demo's folder is replaced.", DefaultValueFactory = _ => new DirectoryInfo("demo-output") };
        var port = new Option<int>("--port") { Description = $"HTTP port of the API on 127.0.0.1 (a free one when taken; 0 = always a free one).", DefaultValueFactory = _ => DefaultPort };
        var noServe = new Option<bool>("--no-serve") { Description = "Exit after the summary instead of serving the API until Ctrl+C." };
        var lines = new Option<int>("--lines") { Description = "Product lines to simulate.", DefaultValueFactory = _ => 3 };
        var images = new Option<int>("--images") { Description = "Images generated per line (the test split is streamed: 60 % before discovery, 40 % online).", DefaultValueFactory = _ => 200 };
        var epochs = new Option<int>("--epochs") { Description = "Discovery training epochs per line.", DefaultValueFactory = _ => 20 };
        var seed = new Option<int>("--seed") { Description = "Seed of the synthetic factory (and of training).", DefaultValueFactory = _ => 0 };
        var command = new Command("demo", "Run the product end to end on a generated 3-line factory: embedded silo + API, ingest, discovery, online assignment, per-line summary; then serve the API.")
        {
            output, port, noServe, lines, images, epochs, seed,
        };
        command.SetAction(async (parse, cancel) =>
        {
            var clock = Stopwatch.StartNew();
            var synthOptions = new SyntheticOptions(parse.GetValue(lines), parse.GetValue(images), 256, 0.3, parse.GetValue(seed));
            // Validate everything first: a bad option must not clear an earlier demo or create the folder.
            synthOptions.Validate();
            if (synthOptions.ImagesPerLine < MinImages)
            {
                throw new InvalidInputException("--images", $"must be between {MinImages} and {SyntheticOptions.MaxImagesPerLine}, got {synthOptions.ImagesPerLine} (discovery and the online part each need some)");
            }

            var trainingEpochs = parse.GetValue(epochs);
            if (trainingEpochs is < 1 or > TrainingRequestBody.MaxEpochs)
            {
                throw new InvalidInputException("--epochs", $"must be between 1 and {TrainingRequestBody.MaxEpochs}, got {trainingEpochs}");
            }

            var httpPort = parse.GetValue(port);
            if (httpPort is < 0 or > 65535)
            {
                throw new InvalidInputException("--port", $"must be between 0 and 65535, got {httpPort}");
            }

            var folder = PrepareFolder(parse.GetValue(output)!.FullName);
            var run = new DemoRun(context, folder, trainingEpochs, parse.GetValue(seed) + 3407, cancel);
            await run.GenerateAsync(synthOptions);

            // The demo drives the API as an operator would: with a key of its own, minted for this process only.
            var demoKey = ApiKeyGrant.NewKey();
            var options = new AnomalyNcdServerOptions
            {
                ApiKeys = [ApiKeyGrant.ForKey("demo", ApiRoles.Operator, demoKey)],
                DataFolder = Path.Combine(folder, "silo"),
                AllowCpuFallback = true,
                HttpAddress = "127.0.0.1",
                HttpPort = ChoosePort(httpPort, context.Out),
                SiloPort = 0,
                GatewayPort = 0,
            };
            await using var app = await AnomalyNcdServer.BuildAsync(options, cancel);
            await app.StartAsync(cancel);
            var url = app.GetBoundUrl();
            context.Out.WriteLine($"2/6 embedded silo + API on {url} (SQLite and artefacts under {options.DataFolder}, CPU fallback on)");

            using var http = ApiKeyOption.Authorize(new HttpClient { BaseAddress = new Uri(url.TrimEnd('/') + "/"), Timeout = TimeSpan.FromMinutes(5) }, demoKey);
            await run.RunAsync(new DemoApi(new IngestClient(http)), app.Services.GetRequiredService<IGrainFactory>());
            DemoReport.Print(context.Out, run.Lines, folder, clock.Elapsed);

            if (parse.GetValue(noServe))
            {
                await app.StopAsync(CancellationToken.None);
                return AnomalyNcdCli.ExitOk;
            }

            PrintServing(context.Out, url, run.Lines, demoKey);
            context.Out.Flush();
            await app.WaitForShutdownAsync(cancel);
            context.Out.WriteLine("anomalyncd demo stopped");
            return AnomalyNcdCli.ExitOk;
        });
        return command;
    }

    /// <summary>The requested port when it is free; otherwise 0 (the host picks a free one).</summary>
    private static int ChoosePort(int requested, TextWriter output)
    {
        if (requested == 0)
        {
            return 0;
        }

        try
        {
            var probe = new TcpListener(IPAddress.Loopback, requested);
            probe.Start();
            probe.Stop();
            return requested;
        }
        catch (SocketException)
        {
            output.WriteLine($"port {requested} is taken; the API takes a free port instead");
            return 0;
        }
    }

    private static void PrintServing(TextWriter output, string url, IReadOnlyList<DemoLine> lines, string demoKey)
    {
        var line = lines[0].Name;
        var image = lines[0].Online.Concat(lines[0].Discovery).FirstOrDefault()?.Id ?? "IMAGE";
        output.WriteLine();
        output.WriteLine($"The API keeps running on {url} (OpenAPI: {url}/openapi/v1.json). Ctrl+C stops it.");
        output.WriteLine($"The demo's operator API key (valid until this process stops): {demoKey}. Try:");
        output.WriteLine($"  export ANOMALYNCD_API_KEY={demoKey}");
        output.WriteLine($"  curl -s -H \"X-Api-Key: $ANOMALYNCD_API_KEY\" {url}/api/lines");
        output.WriteLine($"  curl -s -H \"X-Api-Key: $ANOMALYNCD_API_KEY\" {url}/api/lines/{line}/classes");
        output.WriteLine($"  curl -s -H \"X-Api-Key: $ANOMALYNCD_API_KEY\" '{url}/api/lines/{line}/images?take=5'");
        output.WriteLine($"  curl -s -H \"X-Api-Key: $ANOMALYNCD_API_KEY\" {url}/api/lines/{line}/images/{image}/regions");
        output.WriteLine($"  curl -s -H \"X-Api-Key: $ANOMALYNCD_API_KEY\" -F image=@some.png -F map=@some-map.png {url}/api/lines/{line}/images");
    }

    /// <summary>Creates the folder, or clears it when it holds an earlier demo; refuses anything else.</summary>
    private static string PrepareFolder(string folder)
    {
        if (File.Exists(folder))
        {
            throw new InvalidInputException(folder, "output path is a file, expected a folder");
        }

        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
        {
            if (!File.Exists(Path.Combine(folder, Marker)))
            {
                throw new InvalidInputException(folder, "folder is not empty and was not written by an earlier demo; choose another --out");
            }

            Directory.Delete(folder, recursive: true);
        }

        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, Marker), "written by anomalyncd demo; the whole folder is replaced by the next demo run\n");
        return folder;
    }

    /// <summary>The steps of one demo run, sharing the output, the lines and the cancellation.</summary>
    private sealed class DemoRun(CliContext context, string folder, int epochs, int trainingSeed, CancellationToken cancel)
    {
        private const int DiscoveryUploadsInFlight = 4;
        private const int ReclassifyInFlight = 4;

        public List<DemoLine> Lines { get; } = [];

        private TextWriter Out => context.Out;

        public async Task GenerateAsync(SyntheticOptions synthOptions)
        {
            var factory = Path.Combine(folder, "factory");
            Out.WriteLine($"1/6 generating {synthOptions.Lines} line(s) x {synthOptions.ImagesPerLine} images (with anomaly maps and ground-truth kinds) into {factory}");
            var data = await ProgressRunner.RunAsync(context, progress =>
                Task.Run(() => SyntheticDatasetWriter.Write(synthOptions, factory, progress, cancel), cancel));
            foreach (var recipe in data.Lines)
            {
                // The test split is the stream (defective and normal images); the train split holds only normals for a detector.
                var stream = data.Images
                    .Where(i => i.Row.Line == recipe.Name && i.Row.Split == "test")
                    .Select(i => (Row: i.Row, Id: Path.GetFileNameWithoutExtension(i.Row.Image)))
                    .ToList();
                var first = (int)Math.Ceiling(stream.Count * DiscoveryShare);
                var images = stream.Select((s, index) => new DemoImage(
                    s.Id, Path.Combine(data.Folder, s.Row.Image), Path.Combine(data.Folder, s.Row.AnomalyMap!), s.Row.Label!, Online: index >= first)).ToList();
                Lines.Add(new DemoLine(recipe, [.. images.Where(i => !i.Online)], [.. images.Where(i => i.Online)]));
            }
        }

        public async Task RunAsync(DemoApi api, IGrainFactory grains)
        {
            Out.WriteLine($"3/6 creating the lines (map calibration learnt from each line's first {DiscoveryShare:P0} of maps) and ingesting those images through the API");
            foreach (var line in Lines)
            {
                await IngestDiscoveryBatchAsync(api, line);
            }

            Out.WriteLine($"4/6 discovering defect classes per line (training grain, {epochs} epochs, classes = the line's kinds + normal), promoting each model");
            foreach (var line in Lines.Where(l => l.Failure is null))
            {
                await DiscoverAsync(api, grains, line);
            }

            Out.WriteLine("5/6 online assignment: the remaining images, one at a time through the API; each is classified on arrival");
            foreach (var line in Lines.Where(l => l.Failure is null))
            {
                await StreamOnlineAsync(api, line);
            }

            Out.WriteLine("6/6 reading the catalogues");
            foreach (var line in Lines)
            {
                await ReadCatalogueAsync(api, line);
            }

            DemoReport.WriteResults(Path.Combine(folder, "results.csv"), Lines);
        }

        private async Task IngestDiscoveryBatchAsync(DemoApi api, DemoLine line)
        {
            if (line.Discovery.Count == 0)
            {
                line.Failure = "no test images were generated for this line";
                return;
            }

            var calibration = await Task.Run(() => MapCalibration.Learn(line.Name, line.Discovery.Select(i => AnomalyMapFile.Read(i.Map))), cancel);
            line.CalibrationMin = calibration.Min;
            line.CalibrationMax = calibration.Max;
            await api.Uploads.CreateLineAsync(line.Name, calibration.Min, calibration.Max, cancel, calibration.MebinFloor);
            Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"created line '{line.Name}' ({line.Recipe.Surface}, kinds {string.Join(", ", line.Recipe.Kinds.Select(k => k.Name()))}); calibration {calibration.Min:0.###}..{calibration.Max:0.###}"));

            var files = line.Discovery.Select(i => i.File).ToList();
            var maps = line.Discovery.ToDictionary(i => i.File, i => i.Map, StringComparer.Ordinal);
            var truths = line.Discovery.ToDictionary(i => i.File, i => i.Truth, StringComparer.Ordinal);
            var summary = await IngestCommand.StreamAsync(api.Uploads, line.Name, files, maps, DiscoveryUploadsInFlight, context, cancel, truths, IngestCommand.DefaultBatch);
            line.Rejected += summary.Rejected;
        }

        private async Task DiscoverAsync(DemoApi api, IGrainFactory grains, DemoLine line)
        {
            // A small batch may hold fewer regions than the line has kinds; discovery cannot find more classes than regions.
            var regions = (await api.GetLineAsync(line.Name, cancel)).GetProperty("regionCount").GetInt32();
            if (regions < 2)
            {
                line.Failure = $"discovery skipped: the discovery batch has {regions} region(s), at least 2 are needed";
                Out.WriteLine($"train {line.Name}: {line.Failure}");
                return;
            }

            line.DiscoveryClasses = Math.Min(line.ClassCount, regions);
            if (line.DiscoveryClasses < line.ClassCount)
            {
                Out.WriteLine($"train {line.Name}: only {regions} regions, so {line.DiscoveryClasses} classes instead of {line.ClassCount}");
            }

            var clock = Stopwatch.StartNew();
            JsonElement status;
            try
            {
                status = await api.StartTrainingAsync(line.Name, line.DiscoveryClasses, epochs, trainingSeed, cancel);
            }
            catch (HttpRequestException refused)
            {
                line.Failure = $"discovery refused: {refused.Message}";
                Out.WriteLine($"train {line.Name}: {line.Failure}");
                return;
            }

            var lastEpoch = -1;
            while (Text(status, "state") == "Running")
            {
                var epoch = status.GetProperty("epoch").GetInt32();
                if (epoch != lastEpoch)
                {
                    lastEpoch = epoch;
                    Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"train {line.Name}: epoch {epoch}/{epochs}{LastLoss(status)} — {Text(status, "message")} ({clock.Elapsed.TotalSeconds:0} s)"));
                }

                await Task.Delay(TrainingPoll, cancel);
                status = await api.GetTrainingAsync(line.Name, cancel);
            }

            line.TrainingTime = clock.Elapsed;
            if (Text(status, "state") != "Completed" || Text(status, "modelVersion") is not { } version)
            {
                line.Failure = $"discovery {Text(status, "state")?.ToLowerInvariant()}: {Text(status, "message")}";
                Out.WriteLine($"train {line.Name}: {line.Failure}");
                return;
            }

            line.ModelVersion = version;
            Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"train {line.Name}: {Text(status, "message")} in {line.TrainingTime.TotalSeconds:0.0} s"));
            var model = await api.PromoteAsync(line.Name, version, cancel);
            line.TrainingRegions = model.GetProperty("regionCount").GetInt32();
            line.ModelNmi = Number(model, "nmi");
            line.ModelAri = Number(model, "ari");
            line.ModelF1 = Number(model, "f1");
            Out.WriteLine($"promoted model {version} of line '{line.Name}'");

            // Images ingested before the promotion have regions but no class yet: classify them with the new model
            // (the grain call the platform exposes for this), so the whole line carries labels and the inference pool is warm.
            var reclock = Stopwatch.StartNew();
            var results = new DemoImageResult[line.Discovery.Count];
            await Parallel.ForEachAsync(Enumerable.Range(0, line.Discovery.Count), new ParallelOptions { MaxDegreeOfParallelism = ReclassifyInFlight, CancellationToken = cancel }, async (index, _) =>
            {
                var image = line.Discovery[index];
                var grain = grains.GetGrain<IImageGrain>(GrainKeys.Image(line.Name, image.Id));
                var result = await grain.GetAsync();
                if (result is { Status: ImageStatus.Binarised })
                {
                    result = await grain.ClassifyAsync();
                }

                results[index] = new DemoImageResult(image, result?.Status.ToString() ?? "Missing", result?.Label?.ClassId, null);
            });
            line.Results.AddRange(results);
            Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"classified the {results.Count(r => r.Status == nameof(ImageStatus.Classified))} discovery-batch images with regions under the promoted model in {reclock.Elapsed.TotalSeconds:0.0} s"));
        }

        private async Task StreamOnlineAsync(DemoApi api, DemoLine line)
        {
            var clock = Stopwatch.StartNew();
            var lastReport = TimeSpan.Zero;
            foreach (var image in line.Online)
            {
                var upload = Stopwatch.StartNew();
                var (outcome, result) = await api.Uploads.UploadForResultAsync(line.Name, image.File, image.Map, image.Truth, cancel);
                var latency = upload.Elapsed.TotalMilliseconds;
                if (!outcome.Acknowledged || result is not { } answer)
                {
                    line.Rejected++;
                    Out.WriteLine($"rejected {image.File}: {outcome.Status}: {outcome.Problem}");
                    continue;
                }

                var label = answer.TryGetProperty("label", out var l) && l.ValueKind == JsonValueKind.Object ? Text(l, "classId") : null;
                line.Results.Add(new DemoImageResult(image, Text(answer, "status") ?? "?", label, latency));
                if (clock.Elapsed - lastReport >= TimeSpan.FromSeconds(2))
                {
                    lastReport = clock.Elapsed;
                    Out.WriteLine($"online {line.Name}: {line.Results.Count(r => r.LatencyMs is not null)}/{line.Online.Count} images");
                }
            }

            var online = line.Results.Where(r => r.LatencyMs is not null).ToList();
            Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"online {line.Name}: {online.Count} images in {clock.Elapsed.TotalSeconds:0.0} s, {online.Count(r => r.Status == nameof(ImageStatus.Classified))} classified, {online.Count(r => r.Status == nameof(ImageStatus.NoAnomaly))} without anomaly"));
        }

        private async Task ReadCatalogueAsync(DemoApi api, DemoLine line)
        {
            JsonElement summary;
            try
            {
                summary = await api.GetLineAsync(line.Name, cancel);
            }
            catch (HttpRequestException missing) when (missing.StatusCode == HttpStatusCode.NotFound)
            {
                return;
            }

            line.Images = summary.GetProperty("imageCount").GetInt32();
            line.AnomalousImages = summary.GetProperty("anomalousImageCount").GetInt32();
            line.Regions = summary.GetProperty("regionCount").GetInt32();
            var classes = await api.GetClassesAsync(line.Name, cancel);
            line.Classes = [.. classes.EnumerateArray().Select(c => new DemoClass(
                Text(c, "classId")!, Text(c, "name"), c.GetProperty("regionCount").GetInt32(), c.GetProperty("imageCount").GetInt32()))];
        }

        private static string LastLoss(JsonElement status)
        {
            var history = status.GetProperty("lossHistory");
            var count = history.GetArrayLength();
            return count == 0 ? string.Empty : string.Create(CultureInfo.InvariantCulture, $", loss {history[count - 1].GetDouble():0.000}");
        }

        private static string? Text(JsonElement element, string property) =>
            element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

        private static double? Number(JsonElement element, string property) =>
            element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;
    }
}
