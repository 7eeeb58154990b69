using System.CommandLine;
using AnomalyNcd.Cli.Bench;
using AnomalyNcd.Core.Common;

namespace AnomalyNcd.Cli.Commands;

/// <summary><c>anomalyncd bench ingest</c>: sustained upload rate through the API into grains (binarise + crop + persist).</summary>
internal static class BenchIngestCommand
{
    public static Command Create(CliContext context)
    {
        var postgres = new Option<string?>("--postgres")
        {
            Description = "PostgreSQL connection string (bench/ingest-postgres.sh starts a scratch server and passes it); without it the embedded SQLite file is used.",
        };
        var url = new Option<string?>("--url")
        {
            Description = "Target a running API instead of starting a silo in this process (stage timings are then not available); several silos' URLs separated by commas get uploads in turn.",
        };
        var line = new Option<string?>("--line") { Description = "Upload into this line (created when missing, calibrated 0..255); default: a new bench-… line." };
        var idPrefix = new Option<string>("--id-prefix") { Description = "Image ids are this prefix plus a running number (another prefix keeps a second run into the same line from repeating ids).", DefaultValueFactory = _ => "b" };
        var responses = new Option<FileInfo?>("--responses")
        {
            Description = "Append one line per upload to this file as it completes: unix-ms, HTTP status (0 = no answer), image id; the 200/201 lines are the acknowledged images.",
        };
        var duration = new Option<double>("--duration") { Description = "Seconds of measured load (after the warm-up).", DefaultValueFactory = _ => 10 };
        var rate = new Option<double>("--rate") { Description = "Images started per second at most; 0 = as fast as the concurrency allows.", DefaultValueFactory = _ => 0 };
        var concurrency = new Option<int>("--concurrency") { Description = "Requests in flight at once.", DefaultValueFactory = _ => 8 };
        var images = new Option<int>("--images") { Description = "Distinct generated images (with maps) cycled through.", DefaultValueFactory = _ => 200 };
        var size = new Option<int>("--size") { Description = "Width and height of the generated images.", DefaultValueFactory = _ => 256 };
        var batch = new Option<int>("--batch") { Description = "Images per request: 1 posts each to /images, more post them together to /images/batch.", DefaultValueFactory = _ => 1 };
        var warmup = new Option<int>("--warmup") { Description = "Uploads sent before the measurement starts (not counted).", DefaultValueFactory = _ => 32 };
        var settle = new Option<double>("--settle")
        {
            Description = "In-process silo only: after --warmup, keep the load on until the JIT has finished recompiling the hot paths (at most this many seconds; 0 = do not wait). Without it the first minute's JIT work is measured as part of the rate.",
            DefaultValueFactory = _ => 120,
        };
        var raw = new Option<bool>("--raw")
        {
            Description = "Send images without maps: the line first learns its detector (normal images uploaded with normal=true, POST …/detector, promote) and then makes every map itself.",
        };
        var trainEpochs = new Option<int>("--train-epochs")
        {
            Description = "After the warm-up, discover classes on the regions it stored (this many epochs) and promote the model, so the measured uploads are classified on arrival; 0 = no model.",
            DefaultValueFactory = _ => 0,
        };
        var apiKey = ApiKeyOption.Create();
        apiKey.Description += " Only with --url (the in-process silo gets a key of its own); it creates a line, so an operator or admin key.";

        var command = new Command("ingest", "Measure the sustained upload rate through the HTTP API into grains (binarise + crop + persist) and print 'N images/s'.")
        {
            postgres, url, line, idPrefix, responses, duration, rate, concurrency, batch, images, size, warmup, settle, raw, trainEpochs, apiKey,
        };
        command.SetAction(async (parse, cancel) =>
        {
            var settings = new BenchIngestSettings(
                parse.GetValue(postgres),
                parse.GetValue(url),
                parse.GetValue(duration),
                parse.GetValue(rate),
                parse.GetValue(concurrency),
                parse.GetValue(images),
                parse.GetValue(size),
                parse.GetValue(warmup),
                ApiKeyOption.Resolve(parse, apiKey))
            {
                Line = parse.GetValue(line),
                IdPrefix = parse.GetValue(idPrefix)!,
                ResponsesFile = parse.GetValue(responses)?.FullName,
                Batch = parse.GetValue(batch),
                SettleSeconds = parse.GetValue(settle),
                Raw = parse.GetValue(raw),
                TrainEpochs = parse.GetValue(trainEpochs),
            };
            settings.Validate();
            var result = await BenchIngest.RunAsync(settings, context, cancel);
            return result.Errors == 0 && result.Acknowledged > 0 ? AnomalyNcdCli.ExitOk : AnomalyNcdCli.ExitFailure;
        });
        return command;
    }
}

/// <summary>What <c>bench ingest</c> was asked to do.</summary>
internal sealed record BenchIngestSettings(
    string? Postgres, string? Url, double DurationSeconds, double Rate, int Concurrency, int Images, int Size, int Warmup, string? ApiKey = null)
{
    /// <summary>An existing (or to-be-created) line to upload into; null = a fresh bench line.</summary>
    public string? Line { get; init; }

    /// <summary>Image ids are this prefix and an eight-digit running number.</summary>
    public string IdPrefix { get; init; } = "b";

    /// <summary>Images per request (1 = single uploads to /images; more = /images/batch).</summary>
    public int Batch { get; init; } = 1;

    /// <summary>Most seconds of extra warm-up until the JIT settles (in-process silo only); 0 = none.</summary>
    public double SettleSeconds { get; init; }

    /// <summary>Images are sent without maps; the line learns its detector first.</summary>
    public bool Raw { get; init; }

    /// <summary>Epochs of the discovery trained after the warm-up (its model promoted); 0 = no model.</summary>
    public int TrainEpochs { get; init; }

    /// <summary>Where every upload's outcome is appended (unix-ms, status, id); null = not written.</summary>
    public string? ResponsesFile { get; init; }

    /// <summary>The target APIs of <c>--url</c> (comma-separated), or empty for an in-process silo.</summary>
    public IReadOnlyList<string> Urls =>
        Url is null ? [] : [.. Url.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    public void Validate()
    {
        if (!AnomalyNcd.Contracts.GrainKeys.IsValidId(IdPrefix + "00000000"))
        {
            throw new InvalidInputException("--id-prefix", $"'{IdPrefix}' plus eight digits is not a valid image id (letters, digits, '-', '_' or '.')");
        }

        if (!(DurationSeconds > 0) || DurationSeconds > 3600)
        {
            throw new InvalidInputException("--duration", $"must be between 0 and 3600 seconds, got {DurationSeconds}");
        }

        if (!(Rate >= 0) || double.IsInfinity(Rate))
        {
            throw new InvalidInputException("--rate", $"must be 0 (as fast as possible) or a positive rate, got {Rate}");
        }

        if (TrainEpochs is < 0 or > AnomalyNcd.Silo.Api.TrainingRequestBody.MaxEpochs)
        {
            throw new InvalidInputException("--train-epochs", $"must be between 0 (no model) and {AnomalyNcd.Silo.Api.TrainingRequestBody.MaxEpochs}, got {TrainEpochs}");
        }

        if (TrainEpochs > 0 && Warmup < 1)
        {
            throw new InvalidInputException("--train-epochs", "needs a warm-up (--warmup ≥ 1): the model is trained on the regions the warm-up stored");
        }

        if (Concurrency is < 1 or > 256)
        {
            throw new InvalidInputException("--concurrency", $"must be between 1 and 256, got {Concurrency}");
        }

        if (Batch is < 1 or > AnomalyNcd.Silo.Hosting.AnomalyNcdServerOptions.DefaultMaxBatchImages)
        {
            throw new InvalidInputException("--batch", $"must be between 1 and {AnomalyNcd.Silo.Hosting.AnomalyNcdServerOptions.DefaultMaxBatchImages} (the server's default batch limit), got {Batch}");
        }

        if (Images is < 1 or > 10_000)
        {
            throw new InvalidInputException("--images", $"must be between 1 and 10000, got {Images}");
        }

        if (Size is < 64 or > 2048)
        {
            throw new InvalidInputException("--size", $"must be between 64 and 2048, got {Size}");
        }

        if (Warmup is < 0 or > 100_000)
        {
            throw new InvalidInputException("--warmup", $"must be between 0 and 100000, got {Warmup}");
        }

        if (!(SettleSeconds >= 0) || SettleSeconds > 600)
        {
            throw new InvalidInputException("--settle", $"must be between 0 and 600 seconds, got {SettleSeconds}");
        }

        if (Url is not null && Urls.Count == 0)
        {
            throw new InvalidInputException("--url", "names no URL");
        }

        foreach (var target in Urls)
        {
            if (!Uri.TryCreate(target, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                throw new InvalidInputException("--url", $"'{target}' is not an http(s) URL");
            }
        }

        if (Line is not null && (Line.Length is 0 or > 64 || !Line.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
        {
            throw new InvalidInputException("--line", $"'{Line}' is not a line id (letters, digits, '-', '_', '.')");
        }

        if (Url is not null && Postgres is not null)
        {
            throw new InvalidInputException("--postgres", "the database is the target's choice when --url is given; pass one or the other");
        }
    }
}

/// <summary>The measured outcome of one run.</summary>
internal sealed record BenchIngestResult(long Acknowledged, long Errors, TimeSpan Elapsed, double ImagesPerSecond);
