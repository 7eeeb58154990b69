using System.Diagnostics;
using System.Globalization;
using System.Net;
using AnomalyNcd.Cli.Api;
using AnomalyNcd.Cli.Commands;
using AnomalyNcd.Cli.Ingest;
using AnomalyNcd.Contracts.Images;
using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Contracts.Training;
using AnomalyNcd.Core.Detection;
using AnomalyNcd.Core.Maps;
using AnomalyNcd.Core.Synthetic;
using AnomalyNcd.Silo.Api;

namespace AnomalyNcd.Cli.Demo;

/// <summary>
/// The steps of one demo run, sharing the output, the lines and the cancellation. Everything after generation goes
/// through the typed API client, as an operator's tools would.
/// </summary>
/// <param name="raw">
/// Images are sent without maps and each line learns its detector from its normal images first, as a plant feeds the
/// product; false sends the synthetic factory's simulated maps with the images instead.
/// </param>
internal sealed class DemoRun(CliContext context, string folder, int epochs, int trainingSeed, bool raw, CancellationToken cancel)
{
    /// <summary>Share of each line's streamed images ingested before discovery; the rest arrive after promotion.</summary>
    public const double DiscoveryShare = 0.6;

    private const int DiscoveryUploadsInFlight = 4;
    private const int ImageReadsInFlight = 4;
    private static readonly TimeSpan TrainingPoll = TimeSpan.FromMilliseconds(500);

    public List<DemoLine> Lines { get; } = [];

    private TextWriter Out => context.Out;

    public async Task GenerateAsync(SyntheticOptions synthOptions)
    {
        var factory = Path.Combine(folder, "factory");
        Out.WriteLine($"1/6 generating {synthOptions.Lines} line(s) x {synthOptions.ImagesPerLine} images (with ground-truth kinds{(raw ? string.Empty : " and simulated anomaly maps")}) into {factory}");
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
            var normals = data.Images
                .Where(i => i.Row.Line == recipe.Name && i.Row.Split == DetectorManifest.TrainSplit)
                .Select(i => Path.Combine(data.Folder, i.Row.Image))
                .ToList();
            Lines.Add(new DemoLine(recipe, [.. images.Where(i => !i.Online)], [.. images.Where(i => i.Online)], normals));
        }
    }

    public async Task RunAsync(AnomalyNcdApiClient api)
    {
        Out.WriteLine(raw
            ? $"3/6 creating the lines; each learns its detector from its normal images (uploaded with normal=true), then the first {DiscoveryShare:P0} of its images are ingested without maps"
            : $"3/6 creating the lines (map calibration learnt from each line's first {DiscoveryShare:P0} of maps) and ingesting those images through the API");
        foreach (var line in Lines)
        {
            await IngestDiscoveryBatchAsync(api, line);
        }

        Out.WriteLine($"4/6 discovering defect classes per line (training grain, {epochs} epochs, classes = the line's kinds + normal), promoting each model");
        foreach (var line in Lines.Where(l => l.Failure is null))
        {
            await DiscoverAsync(api, line);
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

    private async Task IngestDiscoveryBatchAsync(AnomalyNcdApiClient api, DemoLine line)
    {
        if (line.Discovery.Count == 0)
        {
            line.Failure = "no test images were generated for this line";
            return;
        }

        if (raw)
        {
            await api.CreateLineAsync(line.Name, LineSettings.Empty, cancel);
            Out.WriteLine($"created line '{line.Name}' ({line.Recipe.Surface}, kinds {string.Join(", ", line.Recipe.Kinds.Select(k => k.Name()))})");
            var normals = await Task.WhenAll(line.Normals.Select(file => ImageUpload.ReadAsync(file, null, null, cancel)));
            var clock = Stopwatch.StartNew();
            var detector = await LineDetectorLearning.LearnAsync(api, line.Name, normals, Out, cancel);
            line.Detector = new DemoDetector(detector.Version, detector.NormalImages, clock.Elapsed);
        }
        else
        {
            var calibration = await Task.Run(() => MapCalibration.Learn(line.Name, line.Discovery.Select(i => AnomalyMapFile.Read(i.Map))), cancel);
            line.CalibrationMin = calibration.Min;
            line.CalibrationMax = calibration.Max;
            await api.CreateLineAsync(line.Name, LineSettings.Empty with { CalibrationMin = calibration.Min, CalibrationMax = calibration.Max, MebinFloor = calibration.MebinFloor }, cancel);
            Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"created line '{line.Name}' ({line.Recipe.Surface}, kinds {string.Join(", ", line.Recipe.Kinds.Select(k => k.Name()))}); calibration {calibration.Min:0.###}..{calibration.Max:0.###}"));
        }

        var files = line.Discovery.Select(i => i.File).ToList();
        var maps = raw ? new Dictionary<string, string>() : line.Discovery.ToDictionary(i => i.File, i => i.Map, StringComparer.Ordinal);
        var truths = line.Discovery.ToDictionary(i => i.File, i => i.Truth, StringComparer.Ordinal);
        var summary = await IngestCommand.StreamAsync(api, line.Name, files, maps, DiscoveryUploadsInFlight, context, cancel, truths, IngestCommand.DefaultBatch);
        line.Rejected += summary.Rejected;
    }

    private async Task DiscoverAsync(AnomalyNcdApiClient api, DemoLine line)
    {
        // A small batch may hold fewer regions than the line has kinds; discovery cannot find more classes than regions.
        var regions = (await api.GetLineAsync(line.Name, cancel))?.RegionCount ?? 0;
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
        TrainingStatus status;
        try
        {
            status = await api.StartTrainingAsync(line.Name, new TrainingRequestBody(line.DiscoveryClasses, epochs, trainingSeed, "demo"), cancel);
        }
        catch (HttpRequestException refused)
        {
            line.Failure = $"discovery refused: {refused.Message}";
            Out.WriteLine($"train {line.Name}: {line.Failure}");
            return;
        }

        var lastEpoch = -1;
        while (status.State == TrainingState.Running)
        {
            if (status.Epoch != lastEpoch)
            {
                lastEpoch = status.Epoch;
                Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"train {line.Name}: epoch {status.Epoch}/{epochs}{LastLoss(status)} — {status.Message} ({clock.Elapsed.TotalSeconds:0} s)"));
            }

            await Task.Delay(TrainingPoll, cancel);
            status = await api.GetTrainingAsync(line.Name, cancel);
        }

        line.TrainingTime = clock.Elapsed;
        if (status.State != TrainingState.Completed || status.ModelVersion is not { } version)
        {
            line.Failure = $"discovery {status.State.ToString().ToLowerInvariant()}: {status.Message}";
            Out.WriteLine($"train {line.Name}: {line.Failure}");
            return;
        }

        line.ModelVersion = version;
        Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"train {line.Name}: {status.Message} in {line.TrainingTime.TotalSeconds:0.0} s"));
        var model = await api.PromoteAsync(line.Name, version, cancel);
        line.TrainingRegions = model.RegionCount;
        line.ModelNmi = model.Nmi;
        line.ModelAri = model.Ari;
        line.ModelF1 = model.F1;
        Out.WriteLine($"promoted model {version} of line '{line.Name}'");
        await ReclassifyAsync(api, line);
    }

    /// <summary>
    /// Images ingested before the promotion have regions but no class yet: the platform classifies them under the
    /// new model (<c>POST …/reclassify</c>), so the whole line carries labels and the inference pool is warm; then
    /// the demo reads each one's result for its report.
    /// </summary>
    private async Task ReclassifyAsync(AnomalyNcdApiClient api, DemoLine line)
    {
        var clock = Stopwatch.StartNew();
        var answer = await api.ReclassifyAsync(line.Name, cancel);
        var results = new DemoImageResult[line.Discovery.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, line.Discovery.Count), new ParallelOptions { MaxDegreeOfParallelism = ImageReadsInFlight, CancellationToken = cancel }, async (index, token) =>
        {
            var image = line.Discovery[index];
            ImageResult? result;
            try
            {
                result = await api.GetImageAsync(line.Name, image.Id, token);
            }
            catch (HttpRequestException missing) when (missing.StatusCode == HttpStatusCode.NotFound)
            {
                result = null; // refused at upload: never stored
            }

            results[index] = new DemoImageResult(image, result?.Status.ToString() ?? "Missing", result?.Label?.ClassId, null);
        });
        line.Results.AddRange(results);
        Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"classified the {answer.Classified} discovery-batch images with regions under the promoted model {answer.ModelVersion} in {clock.Elapsed.TotalSeconds:0.0} s{(answer.Failed > 0 ? $" ({answer.Failed} failed)" : string.Empty)}"));
    }

    private async Task StreamOnlineAsync(AnomalyNcdApiClient api, DemoLine line)
    {
        var clock = Stopwatch.StartNew();
        var lastReport = TimeSpan.Zero;
        foreach (var image in line.Online)
        {
            var upload = Stopwatch.StartNew();
            var (outcome, result) = await api.UploadForResultAsync(line.Name, image.File, raw ? null : image.Map, image.Truth, cancel);
            var latency = upload.Elapsed.TotalMilliseconds;
            if (!outcome.Acknowledged || result is null)
            {
                line.Rejected++;
                Out.WriteLine($"rejected {image.File}: {outcome.Status}: {outcome.Problem}");
                continue;
            }

            line.Results.Add(new DemoImageResult(image, result.Status.ToString(), result.Label?.ClassId, latency));
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

    private async Task ReadCatalogueAsync(AnomalyNcdApiClient api, DemoLine line)
    {
        if (await api.GetLineAsync(line.Name, cancel) is not { } summary)
        {
            return;
        }

        line.Images = summary.ImageCount;
        line.AnomalousImages = summary.AnomalousImageCount;
        line.Regions = summary.RegionCount;
        var classes = await api.GetClassesAsync(line.Name, cancel);
        line.Classes = [.. classes.Select(c => new DemoClass(c.ClassId, c.Name, c.RegionCount, c.ImageCount))];
    }

    private static string LastLoss(TrainingStatus status) =>
        status.LossHistory.Length == 0 ? string.Empty : string.Create(CultureInfo.InvariantCulture, $", loss {status.LossHistory[^1]:0.000}");
}
