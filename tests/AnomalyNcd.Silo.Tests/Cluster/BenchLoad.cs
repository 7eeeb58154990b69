using System.Diagnostics;
using System.Globalization;
using System.Text;
using AnomalyNcd.Silo.Tests.Support;

namespace AnomalyNcd.Silo.Tests.Cluster;

/// <summary>
/// <c>anomalyncd bench ingest --url …</c> as a child process: bounded load (rate, concurrency, duration) on running
/// silos, taking turns between them, with every upload's outcome in a responses file the test reads while it runs.
/// </summary>
internal sealed class BenchLoad : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder log = new();

    private BenchLoad(Process process, string responsesFile)
    {
        this.process = process;
        ResponsesFile = responsesFile;
    }

    public string ResponsesFile { get; }

    public string Log
    {
        get
        {
            lock (log)
            {
                return log.ToString();
            }
        }
    }

    public static BenchLoad Start(IEnumerable<ServeProcess> targets, string line, string responsesFile, double seconds, double rate, int concurrency, int size = 128, string idPrefix = "b")
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        string[] arguments =
        [
            CliBuild.DllPath, "bench", "ingest",
            "--url", string.Join(',', targets.Select(silo => silo.Http.BaseAddress!.ToString())),
            "--line", line, "--responses", responsesFile,
            "--duration", seconds.ToString(CultureInfo.InvariantCulture), "--rate", rate.ToString(CultureInfo.InvariantCulture),
            "--concurrency", $"{concurrency}", "--images", "16", "--size", $"{size}", "--warmup", "0", "--id-prefix", idPrefix,
        ];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The silos accept the tests' keys (ServeProcess sets ANOMALYNCD_API_KEYS); the bench reads its key from here.
        start.Environment["ANOMALYNCD_API_KEY"] = TestApiKeys.Operator;
        var process = new Process { StartInfo = start };
        var bench = new BenchLoad(process, responsesFile);
        process.OutputDataReceived += (_, line) => bench.Append(line.Data);
        process.ErrorDataReceived += (_, line) => bench.Append(line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return bench;
    }

    /// <summary>The outcomes so far (the file is appended line by line; a torn last line is skipped).</summary>
    public IReadOnlyList<BenchResponse> Responses() => ReadResponses(ResponsesFile);

    /// <summary>The outcomes a run wrote to <paramref name="responsesFile"/>.</summary>
    public static IReadOnlyList<BenchResponse> ReadResponses(string responsesFile)
    {
        if (!File.Exists(responsesFile))
        {
            return [];
        }

        using var stream = new FileStream(responsesFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var responses = new List<BenchResponse>();
        while (reader.ReadLine() is { } text)
        {
            var parts = text.Split(' ');
            if (parts.Length == 3 && long.TryParse(parts[0], CultureInfo.InvariantCulture, out var ms) && int.TryParse(parts[1], CultureInfo.InvariantCulture, out var status))
            {
                responses.Add(new BenchResponse(DateTimeOffset.FromUnixTimeMilliseconds(ms), status, parts[2]));
            }
        }

        return responses;
    }

    public int AcknowledgedCount => Responses().Count(response => response.Acknowledged);

    /// <summary>Waits for the run to end; its printed summary must be there (it exits non-zero whenever an upload failed, which faults cause).</summary>
    public async Task<string> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        await process.WaitForExitAsync(limit.Token);
        process.WaitForExit(); // drains the redirected output
        var text = Log;
        if (!text.Contains("sustained:", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"bench ingest ended ({process.ExitCode}) without its summary:\n{text}");
        }

        return text;
    }

    /// <summary>Acknowledged images per second between two instants (the load the cluster held then).</summary>
    public static double RateBetween(IEnumerable<BenchResponse> responses, DateTimeOffset from, DateTimeOffset to) =>
        to <= from ? 0 : responses.Count(r => r.Acknowledged && r.At >= from && r.At < to) / (to - from).TotalSeconds;

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }

        process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (log)
            {
                log.AppendLine(line);
            }
        }
    }
}

/// <summary>One upload's outcome as <c>bench ingest --responses</c> wrote it; status 0 = no answer.</summary>
internal sealed record BenchResponse(DateTimeOffset At, int Status, string Id)
{
    public bool Acknowledged => Status is 200 or 201;
}
