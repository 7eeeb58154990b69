using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using AnomalyNcd.Cli.Api;
using AnomalyNcd.Cli.Ingest;
using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Datasets;
using AnomalyNcd.Core.Imaging;
using AnomalyNcd.Core.Maps;

namespace AnomalyNcd.Cli.Commands;

/// <summary>
/// <c>anomalyncd ingest</c>: streams a folder of images (with their maps, matched by stem) to a running API
/// with bounded concurrency, progress lines and a final summary.
/// </summary>
internal static class IngestCommand
{
    public const string ApiKeyVariable = ApiKeyOption.Variable;

    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(2);

    public static Command Create(CliContext context)
    {
        var line = new Option<string>("--line") { Description = "Product line to ingest into.", Required = true };
        var dir = new Option<DirectoryInfo>("--dir") { Description = "Folder of images (.png, .jpg, .bmp, .tif); the file stem becomes the image id.", Required = true };
        var maps = new Option<DirectoryInfo?>("--maps") { Description = "Folder of anomaly maps (.png, .tif, .npy) matched to the images by stem." };
        var url = new Option<string>("--url") { Description = "Base URL of the API (a `serve` process).", DefaultValueFactory = _ => "http://127.0.0.1:5080" };
        var createLine = new Option<bool>("--create-line") { Description = "Create the line when it does not exist yet." };
        var calibrate = new Option<bool>("--calibrate") { Description = "Learn the line's map calibration range from the folder's maps and set it before streaming (needs --maps)." };
        var concurrency = new Option<int>("--concurrency") { Description = "Requests in flight at once.", DefaultValueFactory = _ => 4 };
        var batch = new Option<int>("--batch") { Description = "Images per request (1 = one request per image; more use the batched upload endpoint).", DefaultValueFactory = _ => DefaultBatch };
        var normal = new Option<bool>("--normal") { Description = "Send the images as normal (defect-free) images the line's detector learns from (POST …/detector fits it); one request per image, no maps." };
        var apiKey = ApiKeyOption.Create();

        var command = new Command("ingest", "Stream a folder of images (and anomaly maps) into a running AnomalyNcd API, with progress and a summary.")
        {
            line, dir, maps, url, createLine, calibrate, concurrency, batch, normal, apiKey,
        };
        command.SetAction(async (parse, cancel) =>
        {
            var lineId = parse.GetValue(line)!;
            var imageFolder = parse.GetValue(dir)!.FullName;
            var mapFolder = parse.GetValue(maps)?.FullName;
            var inFlight = parse.GetValue(concurrency);
            if (inFlight is < 1 or > 64)
            {
                throw new InvalidInputException("--concurrency", $"must be between 1 and 64, got {inFlight}");
            }

            var perRequest = parse.GetValue(batch);
            if (perRequest is < 1 or > Silo.Hosting.AnomalyNcdServerOptions.DefaultMaxBatchImages)
            {
                throw new InvalidInputException("--batch", $"must be between 1 and {Silo.Hosting.AnomalyNcdServerOptions.DefaultMaxBatchImages}, got {perRequest}");
            }

            var asNormal = parse.GetValue(normal);
            if (asNormal && (mapFolder is not null || parse.GetValue(calibrate)))
            {
                throw new InvalidInputException("--normal", "normal images are sent without maps: drop --maps and --calibrate");
            }

            if (parse.GetValue(calibrate) && mapFolder is null)
            {
                throw new InvalidInputException("--calibrate", "needs --maps: the calibration range is learnt from the maps");
            }

            if (!Uri.TryCreate(parse.GetValue(url), UriKind.Absolute, out var baseUri) || baseUri.Scheme is not ("http" or "https"))
            {
                throw new InvalidInputException("--url", $"'{parse.GetValue(url)}' is not an http(s) URL");
            }

            var (images, mapOfImage) = ScanFolder(imageFolder, mapFolder, context.Error);
            using var http = ApiKeyOption.Authorize(
                new HttpClient { BaseAddress = new Uri(baseUri.AbsoluteUri.TrimEnd('/') + "/"), Timeout = TimeSpan.FromMinutes(2) }, ApiKeyOption.Resolve(parse, apiKey));
            var client = new AnomalyNcdApiClient(http);
            await PrepareLineAsync(client, lineId, baseUri, parse.GetValue(createLine), parse.GetValue(calibrate) ? mapOfImage.Values : null, context, cancel);

            var summary = await StreamAsync(client, lineId, images, mapOfImage, inFlight, context, cancel, batch: asNormal ? 1 : perRequest, normal: asNormal);
            return summary.Rejected == 0 ? AnomalyNcdCli.ExitOk : AnomalyNcdCli.ExitFailure;
        });
        return command;
    }

    /// <summary>The folder's images (unique stems) and, with a maps folder, the map of each image that has one.</summary>
    internal static (IReadOnlyList<string> Images, IReadOnlyDictionary<string, string> MapOfImage) ScanFolder(string imageFolder, string? mapFolder, TextWriter warnings)
    {
        if (!Directory.Exists(imageFolder))
        {
            throw new InvalidInputException(imageFolder, "image folder does not exist");
        }

        var images = OrdinalPaths.Files(imageFolder, ImageFiles.ImageExtensions);
        if (images.Count == 0)
        {
            throw new InvalidInputException(imageFolder, $"no images ({string.Join(", ", ImageFiles.ImageExtensions)}) in this folder");
        }

        var duplicate = images.GroupBy(Path.GetFileNameWithoutExtension, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidInputException(imageFolder, $"two images share the stem '{duplicate.Key}' (the image id): {string.Join(", ", duplicate.Select(Path.GetFileName))}");
        }

        if (mapFolder is null)
        {
            return (images, new Dictionary<string, string>());
        }

        var rows = images.Select(i => new ManifestRow(Path.GetFileName(i))).ToList();
        var match = MapFolderMatcher.Match(new Manifest(imageFolder, rows), rows, mapFolder);
        if (match.MapOfImage.Count == 0)
        {
            throw new InvalidInputException(mapFolder, $"no map matches any of the {images.Count} image(s) by stem");
        }

        foreach (var missing in match.ImagesWithoutMaps)
        {
            warnings.WriteLine($"warning: {missing}: no map; the line's detector will score it");
        }

        foreach (var orphan in match.UnmatchedMaps)
        {
            warnings.WriteLine($"warning: {orphan}: matches no image; not sent");
        }

        var mapOfImage = match.MapOfImage.ToDictionary(pair => Path.Combine(imageFolder, pair.Key), pair => pair.Value, StringComparer.Ordinal);
        return (images, mapOfImage);
    }

    private static async Task PrepareLineAsync(
        AnomalyNcdApiClient client, string line, Uri url, bool create, IEnumerable<string>? calibrationMaps, CliContext context, CancellationToken cancel)
    {
        MapCalibration? calibration = null;
        if (calibrationMaps is not null)
        {
            calibration = await Task.Run(() => MapCalibration.Learn(line, calibrationMaps.Select(AnomalyMapFile.Read)), cancel);
            context.Out.WriteLine($"calibration of line '{line}': maps range {calibration.Min.ToString(CultureInfo.InvariantCulture)}..{calibration.Max.ToString(CultureInfo.InvariantCulture)}, MEBin floor {calibration.MebinFloor}");
        }

        LineSummary? summary;
        try
        {
            summary = await client.GetLineAsync(line, cancel);
        }
        catch (HttpRequestException failure) when (failure.StatusCode is null)
        {
            throw new InvalidInputException("--url", $"no AnomalyNcd API answers at {url} ({failure.Message})");
        }
        catch (HttpRequestException failure) when (failure.StatusCode is System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.Forbidden)
        {
            throw new InvalidInputException("--api-key", $"the API at {url} refused the request ({failure.Message}); pass a key with --api-key or ${ApiKeyOption.Variable}");
        }

        if (summary is null)
        {
            if (!create)
            {
                throw new InvalidInputException("--line", $"line '{line}' does not exist at {url}; pass --create-line to create it");
            }

            await client.CreateLineAsync(line, LineSettings.Empty with { CalibrationMin = calibration?.Min, CalibrationMax = calibration?.Max, MebinFloor = calibration?.MebinFloor }, cancel);
            context.Out.WriteLine($"created line '{line}'");
            return;
        }

        if (calibration is not null)
        {
            await client.SetCalibrationAsync(summary, calibration.Min, calibration.Max, calibration.MebinFloor, cancel);
        }
    }

    /// <summary>Images per batched request unless <c>--batch</c> says otherwise.</summary>
    public const int DefaultBatch = 16;

    /// <summary>
    /// Uploads the images with bounded concurrency, <paramref name="batch"/> per request (1 = one request per image),
    /// printing progress and the summary; <paramref name="groundTruthOf"/> (optional) labels each image file for evaluation;
    /// <paramref name="normal"/> sends them as normal images (needs one image per request).
    /// </summary>
    internal static async Task<IngestSummary> StreamAsync(
        AnomalyNcdApiClient client, string line, IReadOnlyList<string> images, IReadOnlyDictionary<string, string> mapOfImage, int inFlight, CliContext context, CancellationToken cancel,
        IReadOnlyDictionary<string, string>? groundTruthOf = null, int batch = 1, bool normal = false)
    {
        var summary = new IngestSummary(images.Count);
        var clock = Stopwatch.StartNew();
        var lastReport = TimeSpan.Zero;
        var gate = new object();
        await Parallel.ForEachAsync(Batches(images, mapOfImage, batch), new ParallelOptions { MaxDegreeOfParallelism = inFlight, CancellationToken = cancel }, async (chunk, token) =>
        {
            IngestOutcome[] outcomes;
            try
            {
                outcomes = chunk.Length == 1 && batch == 1
                    ? [await client.UploadAsync(line, chunk[0], mapOfImage.GetValueOrDefault(chunk[0]), groundTruthOf?.GetValueOrDefault(chunk[0]), token, normal)]
                    : await client.UploadBatchAsync(line, [.. chunk.Select(image => (image, mapOfImage.GetValueOrDefault(image), groundTruthOf?.GetValueOrDefault(image)))], token);
            }
            catch (HttpRequestException failure)
            {
                outcomes = [.. chunk.Select(image => new IngestOutcome(image, 0, $"not sent: {failure.Message}"))];
            }

            lock (gate)
            {
                foreach (var outcome in outcomes)
                {
                    summary.Add(outcome);
                }

                if (clock.Elapsed - lastReport >= ProgressInterval)
                {
                    lastReport = clock.Elapsed;
                    context.Out.WriteLine($"ingest {line}: {summary.Progress(clock.Elapsed)}");
                }
            }
        });

        summary.Print(context.Out, line, clock.Elapsed);
        return summary;
    }

    /// <summary>Consecutive groups of at most <paramref name="size"/> images that all have a map or all have none (a batch pairs maps by order).</summary>
    internal static IEnumerable<string[]> Batches(IReadOnlyList<string> images, IReadOnlyDictionary<string, string> mapOfImage, int size)
    {
        var current = new List<string>(size);
        foreach (var image in images)
        {
            if (current.Count == size || (current.Count > 0 && mapOfImage.ContainsKey(current[0]) != mapOfImage.ContainsKey(image)))
            {
                yield return [.. current];
                current.Clear();
            }

            current.Add(image);
        }

        if (current.Count > 0)
        {
            yield return [.. current];
        }
    }
}
