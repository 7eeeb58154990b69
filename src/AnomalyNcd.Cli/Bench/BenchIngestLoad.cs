using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using AnomalyNcd.Cli.Api;
using AnomalyNcd.Cli.Commands;

namespace AnomalyNcd.Cli.Bench;

/// <summary>
/// Bounded load: at most <see cref="BenchIngestSettings.Concurrency"/> requests in flight, each carrying
/// <see cref="BenchIngestSettings.Batch"/> images (one per request to <c>/images</c>, more to <c>/images/batch</c>), and,
/// with a rate, at most <see cref="BenchIngestSettings.Rate"/> images started per second. Every upload gets its own image
/// id and its own bytes (the generated PNGs cycle, each with a text chunk carrying the upload number), so each
/// acknowledged upload stores a new image and map like a real one would.
/// </summary>
internal sealed class LoadGenerator(IReadOnlyList<AnomalyNcdApiClient> targets, string line, IReadOnlyList<BenchUpload> uploads, BenchIngestSettings settings, ResponseLog? responses)
{
    private long sequence;

    public Task<LoadRun> RunCountAsync(int count, CancellationToken cancel) => RunAsync(count, null, cancel);

    public Task<LoadRun> RunForAsync(TimeSpan duration, CancellationToken cancel) => RunAsync(null, duration, cancel);

    private async Task<LoadRun> RunAsync(int? count, TimeSpan? duration, CancellationToken cancel)
    {
        var run = new LoadRun();
        using var gate = new SemaphoreSlim(settings.Concurrency);
        var clock = Stopwatch.StartNew();
        var started = 0L;
        while ((count is not { } limit || started < limit) && (duration is not { } span || clock.Elapsed < span))
        {
            if (settings.Rate > 0)
            {
                var wait = TimeSpan.FromSeconds(started / settings.Rate) - clock.Elapsed;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, cancel);
                    continue; // re-check the duration after sleeping
                }
            }

            await gate.WaitAsync(cancel);
            var images = (int)Math.Min(settings.Batch, count is { } total ? total - started : long.MaxValue);
            started += images;
            var first = Interlocked.Add(ref sequence, images) - images + 1;
            _ = images == 1 && settings.Batch == 1 ? SendAsync(first, run, gate, cancel) : SendBatchAsync(first, images, run, gate, cancel);
        }

        // Taking every permit means every upload started above has finished.
        for (var i = 0; i < settings.Concurrency; i++)
        {
            await gate.WaitAsync(cancel);
        }

        run.Elapsed = clock.Elapsed;
        return run;
    }

    private async Task SendAsync(long number, LoadRun run, SemaphoreSlim gate, CancellationToken cancel)
    {
        var id = $"{settings.IdPrefix}{number:D8}";
        var api = targets[(int)((number - 1) % targets.Count)];
        var begin = Stopwatch.GetTimestamp();
        try
        {
            var outcome = await api.UploadAsync(line, Upload(number, id), cancel);
            var latency = Stopwatch.GetElapsedTime(begin);
            Record(run, outcome, id, latency);
        }
        catch (Exception failure) when (failure is HttpRequestException or TaskCanceledException)
        {
            responses?.Record(0, id);
            run.Count(0);
            run.Fail(Stopwatch.GetElapsedTime(begin), $"{id}: {failure.Message}");
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Uploads <paramref name="count"/> numbered images in one request to <c>/images/batch</c>; each item counts on its own.</summary>
    private async Task SendBatchAsync(long first, int count, LoadRun run, SemaphoreSlim gate, CancellationToken cancel)
    {
        var numbers = Enumerable.Range(0, count).Select(i => first + i).ToArray();
        var ids = numbers.Select(n => $"{settings.IdPrefix}{n:D8}").ToArray();
        var api = targets[(int)((first - 1) / settings.Batch % targets.Count)];
        var begin = Stopwatch.GetTimestamp();
        try
        {
            var answers = await api.UploadBatchAsync(line, [.. numbers.Select((number, i) => Upload(number, ids[i]))], cancel, readResults: false);
            var latency = Stopwatch.GetElapsedTime(begin);
            // A refused request gives every image its status, so each image counts once either way.
            foreach (var (outcome, _) in answers)
            {
                Record(run, outcome, outcome.File, latency);
            }
        }
        catch (Exception failure) when (failure is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
        {
            foreach (var id in ids)
            {
                responses?.Record(0, id);
                run.Count(0);
                run.Fail(Stopwatch.GetElapsedTime(begin), $"{id}: {failure.Message}");
            }
        }
        finally
        {
            gate.Release();
        }
    }

    private void Record(LoadRun run, IngestOutcome outcome, string id, TimeSpan latency)
    {
        responses?.Record(outcome.Status, id);
        run.Count(outcome.Status);
        if (outcome.Acknowledged)
        {
            run.Acknowledge(latency);
        }
        else
        {
            run.Fail(latency, $"{id}: {outcome.Status} {outcome.Problem}");
        }
    }

    /// <summary>Upload number <paramref name="number"/>: the generated image and map it cycles to, made distinct by the number; the id names it in outcomes.</summary>
    private ImageUpload Upload(long number, string id)
    {
        var upload = uploads[(int)((number - 1) % uploads.Count)];
        return new ImageUpload(id, id, upload.ImageName, Bytes(upload.Image, number), upload.MapName, upload.Map is null ? null : Bytes(upload.Map, number));
    }

    /// <summary>The PNG with a <c>tEXt</c> chunk carrying the upload number inserted before <c>IEND</c>: new bytes, same pixels.</summary>
    private static byte[] Bytes(byte[] png, long number)
    {
        const int EndChunkLength = 12;
        var text = Encoding.ASCII.GetBytes($"Comment\0bench {number}");
        var chunk = new byte[12 + text.Length];
        BinaryPrimitives.WriteInt32BigEndian(chunk, text.Length);
        Encoding.ASCII.GetBytes("tEXt").CopyTo(chunk, 4);
        text.CopyTo(chunk, 8);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + text.Length), Crc32(chunk.AsSpan(4, 4 + text.Length)));
        var bytes = new byte[png.Length + chunk.Length];
        png.AsSpan(0, png.Length - EndChunkLength).CopyTo(bytes);
        chunk.CopyTo(bytes, png.Length - EndChunkLength);
        png.AsSpan(png.Length - EndChunkLength).CopyTo(bytes.AsSpan(png.Length - EndChunkLength + chunk.Length));
        return bytes;
    }

    /// <summary>The CRC-32 (IEEE, reflected) that PNG chunks carry over their type and data.</summary>
    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var value in data)
        {
            crc ^= value;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }
}

/// <summary>Counts and latencies of one load run (thread-safe).</summary>
internal sealed class LoadRun
{
    private const int KeptProblems = 20;
    private readonly object gate = new();
    private readonly List<double> latencies = [];
    private readonly List<string> problems = [];
    private readonly SortedDictionary<int, long> statusCounts = [];

    public long Acknowledged { get; private set; }

    public long Errors { get; private set; }

    public TimeSpan Elapsed { get; set; }

    public IReadOnlyList<string> Problems
    {
        get
        {
            lock (gate)
            {
                return [.. problems];
            }
        }
    }

    /// <summary>Responses by HTTP status (0 = no answer: connection refused, reset or timed out).</summary>
    public IReadOnlyDictionary<int, long> StatusCounts
    {
        get
        {
            lock (gate)
            {
                return new SortedDictionary<int, long>(statusCounts);
            }
        }
    }

    public void Count(int status)
    {
        lock (gate)
        {
            statusCounts[status] = statusCounts.GetValueOrDefault(status) + 1;
        }
    }

    public void Acknowledge(TimeSpan latency)
    {
        lock (gate)
        {
            Acknowledged++;
            latencies.Add(latency.TotalMilliseconds);
        }
    }

    public void Fail(TimeSpan latency, string problem)
    {
        lock (gate)
        {
            Errors++;
            latencies.Add(latency.TotalMilliseconds);
            if (problems.Count < KeptProblems)
            {
                problems.Add(problem);
            }
        }
    }

    /// <summary>Nearest-rank percentile of all request latencies (0 when nothing completed).</summary>
    public TimeSpan Percentile(double fraction)
    {
        lock (gate)
        {
            if (latencies.Count == 0)
            {
                return TimeSpan.Zero;
            }

            var sorted = latencies.Order().ToArray();
            var rank = (int)Math.Ceiling(fraction * sorted.Length) - 1;
            return TimeSpan.FromMilliseconds(sorted[Math.Clamp(rank, 0, sorted.Length - 1)]);
        }
    }
}
