using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using AnomalyNcd.Cli.Api;
using AnomalyNcd.Cli.Demo;
using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Synthetic;
using AnomalyNcd.Silo.Api;
using AnomalyNcd.Silo.Hosting;
using AnomalyNcd.Silo.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

namespace AnomalyNcd.Cli.Commands;

/// <summary>
/// <c>anomalyncd demo</c>: the product end to end on data it generates itself. Synthetic factory → an embedded
/// silo + HTTP API (SQLite under the output folder) → per line: its detector learnt from its normal images (or, with
/// <c>--maps</c>, a calibration of the simulated maps), ingest of a first batch of raw images through the API, discovery through the training grain, promotion, re-classification of that batch (POST …/reclassify), online assignment of the remaining images with their
/// latency → a per-line summary against the ground truth; then the API keeps serving until Ctrl+C (or not, with --no-serve).
/// </summary>
internal static class DemoCommand
{
    public const int DefaultPort = 5080;
    public const int MinImages = 10;

    private const string Marker = "demo.marker";

    public static Command Create(CliContext context)
    {
        var output = new Option<DirectoryInfo>("--out") { Description = "Output folder (default: ./demo-output): generated factory, silo data, results.csv. A previous demo's folder is replaced.", DefaultValueFactory = _ => new DirectoryInfo("demo-output") };
        var port = new Option<int>("--port") { Description = $"HTTP port of the API on 127.0.0.1 (a free one when taken; 0 = always a free one).", DefaultValueFactory = _ => DefaultPort };
        var noServe = new Option<bool>("--no-serve") { Description = "Exit after the summary instead of serving the API until Ctrl+C." };
        var lines = new Option<int>("--lines") { Description = "Product lines to simulate.", DefaultValueFactory = _ => 3 };
        var images = new Option<int>("--images") { Description = "Images generated per line (the test split is streamed: 60 % before discovery, 40 % online).", DefaultValueFactory = _ => 200 };
        var epochs = new Option<int>("--epochs") { Description = "Discovery training epochs per line.", DefaultValueFactory = _ => 20 };
        var maps = new Option<bool>("--maps")
        {
            Description = "Send the synthetic factory's simulated anomaly maps with the images (each line calibrated on them) instead of raw images whose maps each line's learnt detector makes.",
        };
        var seed = new Option<int>("--seed") { Description = "Seed of the synthetic factory (and of training).", DefaultValueFactory = _ => 0 };
        var command = new Command("demo", "Run the product end to end on a generated 3-line factory: embedded silo + API, ingest, discovery, online assignment, per-line summary; then serve the API.")
        {
            output, port, noServe, lines, images, epochs, seed, maps,
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
            var run = new DemoRun(context, folder, trainingEpochs, parse.GetValue(seed) + 3407, raw: !parse.GetValue(maps), cancel);
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
            await run.RunAsync(new AnomalyNcdApiClient(http));
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
        output.WriteLine(lines[0].Detector is null
            ? $"  curl -s -H \"X-Api-Key: $ANOMALYNCD_API_KEY\" -F image=@some.png -F map=@some-map.png {url}/api/lines/{line}/images"
            : $"  curl -s -H \"X-Api-Key: $ANOMALYNCD_API_KEY\" -F image=@some.png {url}/api/lines/{line}/images   (the line's detector makes the map)");
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
}
