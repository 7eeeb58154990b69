using System.CommandLine;
using AnomalyNcd.Cli.Bench;
using AnomalyNcd.Core.Common;

namespace AnomalyNcd.Cli.Commands;

/// <summary><c>anomalyncd bench …</c>: timing of the product's hot paths on generated data.</summary>
internal static class BenchCommand
{
    public static Command Create(CliContext context)
    {
        var bench = new Command("bench", "Measure the speed of processing steps on generated data.");
        bench.Subcommands.Add(CreateMebin(context));
        bench.Subcommands.Add(BenchIngestCommand.Create(context));
        bench.Subcommands.Add(CreateProcess(context));
        bench.Subcommands.Add(CreateDetect(context));
        return bench;
    }

    private static Command CreateDetect(CliContext context)
    {
        var detectorOption = new Option<DirectoryInfo?>("--detector") { Description = "Detector to time (default: one fitted on generated 256² normals)." };
        var images = new Option<int>("--images") { Description = "Timed images (after the warm-up images).", DefaultValueFactory = _ => 8 };
        var warmUp = new Option<int>("--warmup") { Description = "Images scored before timing, so that the runtime has compiled the scoring code optimised (its tiered compilation starts every method unoptimised).", DefaultValueFactory = _ => BenchDetect.DefaultWarmUpImages };
        var precision = DetectCommand.PrecisionOption("Backbone of the detector fitted on generated normals when --detector is not given (a given detector uses its own).");
        var command = new Command("detect", "Milliseconds per 256×256 image of the built-in detector on one core (features, nearest neighbours, map) after warm-up.") { detectorOption, images, warmUp, precision };
        command.SetAction(parse =>
        {
            var count = parse.GetValue(images);
            if (count < 1)
            {
                throw new InvalidInputException("--images", $"must be at least 1, got {count}");
            }

            var warmUpCount = parse.GetValue(warmUp);
            if (warmUpCount < 1)
            {
                throw new InvalidInputException("--warmup", $"must be at least 1, got {warmUpCount}");
            }

            return BenchDetect.Run(context, parse.GetValue(detectorOption)?.FullName, count, warmUpCount, parse.GetValue(precision));
        });
        return command;
    }

    private static Command CreateProcess(CliContext context)
    {
        var images = new Option<int>("--images") { Description = "Distinct generated uploads (image + 8-bit map).", DefaultValueFactory = _ => 200 };
        var size = new Option<int>("--size") { Description = "Width and height of the generated images.", DefaultValueFactory = _ => 256 };
        var repeat = new Option<int>("--repeat") { Description = "Timed passes over the uploads.", DefaultValueFactory = _ => 3 };
        var command = new Command("process", "Time the per-image CPU of upload validation (decode) and image processing (MEBin, crops, PNG encoding) per stage, single-threaded, without HTTP or database.")
        {
            images, size, repeat,
        };
        command.SetAction(parseResult =>
        {
            var imageCount = parseResult.GetValue(images);
            var side = parseResult.GetValue(size);
            var repeats = parseResult.GetValue(repeat);
            if (imageCount < 1)
            {
                throw new InvalidInputException("--images", $"must be at least 1, got {imageCount}");
            }

            if (side is < 32 or > 4096)
            {
                throw new InvalidInputException("--size", $"must be 32..4096, got {side}");
            }

            if (repeats < 1)
            {
                throw new InvalidInputException("--repeat", $"must be at least 1, got {repeats}");
            }

            return BenchProcess.Run(context, imageCount, side, repeats);
        });
        return command;
    }

    private static Command CreateMebin(CliContext context)
    {
        var sizes = new Option<string>("--sizes")
        {
            Description = "Comma-separated map sizes: N for NxN, or WxH.",
            DefaultValueFactory = _ => "256,512",
        };
        var maps = new Option<int>("--maps")
        {
            Description = "Generated maps per size.",
            DefaultValueFactory = _ => 8,
        };
        var repeat = new Option<int>("--repeat")
        {
            Description = "Timed passes over the maps per size and thread setting.",
            DefaultValueFactory = _ => 3,
        };
        var command = new Command("mebin", "Time MEBin binarisation, reference loop against the fast path, single thread and all cores; fails if they disagree.");
        command.Options.Add(sizes);
        command.Options.Add(maps);
        command.Options.Add(repeat);
        command.SetAction(parseResult =>
        {
            var mapCount = parseResult.GetValue(maps);
            var repeats = parseResult.GetValue(repeat);
            if (mapCount < 1)
            {
                throw new InvalidInputException("--maps", $"must be at least 1, got {mapCount}");
            }

            if (repeats < 1)
            {
                throw new InvalidInputException("--repeat", $"must be at least 1, got {repeats}");
            }

            var parsedSizes = BenchMebin.ParseSizes(parseResult.GetValue(sizes) ?? "");
            return BenchMebin.Run(context, parsedSizes, mapCount, repeats) ? AnomalyNcdCli.ExitOk : AnomalyNcdCli.ExitFailure;
        });
        return command;
    }
}
