using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AnomalyNcd.Silo.Tests.Support;

namespace AnomalyNcd.Silo.Tests.Cluster;

/// <summary>One <c>dotnet anomalyncd.dll serve …</c> child process on free loopback ports, with its output kept for diagnostics.</summary>
internal sealed class ServeProcess : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder log = new();

    private readonly IReadOnlyList<string> serveOptions;
    private readonly IReadOnlyDictionary<string, string> environment;
    private readonly int httpPort;

    private ServeProcess(string name, Process process, int httpPort, IReadOnlyList<string> serveOptions, IReadOnlyDictionary<string, string> environment)
    {
        Name = name;
        this.process = process;
        this.httpPort = httpPort;
        this.serveOptions = serveOptions;
        this.environment = environment;
        Http = TestApiKeys.Authorize(new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(60) }, TestApiKeys.Operator);
    }

    public string Name { get; }

    public HttpClient Http { get; }

    public bool HasExited => process.HasExited;

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

    /// <summary>Starts a silo of a PostgreSQL cluster; <paramref name="environment"/> adds variables (e.g. <see cref="TinyTraining"/>), <paramref name="moreOptions"/> more <c>serve</c> options.</summary>
    public static ServeProcess Start(string name, string dataFolder, string postgres, string accelerator, IReadOnlyDictionary<string, string> environment, params string[] moreOptions)
    {
        var httpPort = FreePort();
        string[] arguments =
        [
            "--data", dataFolder, "--postgres", postgres, "--accelerator", accelerator,
            "--port", $"{httpPort}", "--silo-port", $"{FreePort()}", "--gateway-port", $"{FreePort()}", .. moreOptions,
        ];
        return StartWith(name, arguments, httpPort, environment);
    }

    /// <summary>Starts <c>serve</c> with exactly these options; the API must end up on <paramref name="httpPort"/>.</summary>
    public static ServeProcess StartWith(string name, IReadOnlyList<string> serveOptions, int httpPort, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { CliBuild.DllPath, "serve" }.Concat(serveOptions))
        {
            start.ArgumentList.Add(argument);
        }

        // Only the variables a test names reach the silo (a developer's own ANOMALYNCD_* must not leak in).
        foreach (var key in start.Environment.Keys.Where(key => key.StartsWith("ANOMALYNCD_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        // The test keys, unless the test sets its own.
        start.Environment["ANOMALYNCD_API_KEYS"] = TestApiKeys.Variable;
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start };
        var serve = new ServeProcess(name, process, httpPort, serveOptions, environment);
        process.OutputDataReceived += (_, line) => serve.Append(line.Data);
        process.ErrorDataReceived += (_, line) => serve.Append(line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return serve;
    }

    /// <summary>
    /// Training settings (the host's ordinary <c>Training</c> configuration) for a small, slow job: a tiny discovery
    /// model, and a pause after each epoch so that a job lasts long enough to be interrupted.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> TinyTraining = new Dictionary<string, string>
    {
        ["Training__EpochPause"] = "00:00:01",
        ["Training__Discovery__TrainViews"] = "2",
        ["Training__Discovery__Threads"] = "1",
        ["Training__Discovery__Heads"] = "2",
        ["Training__Discovery__Training__BatchSize"] = "16",
        ["Training__Discovery__Encoder__EmbedDim"] = "32",
        ["Training__Discovery__Encoder__Heads"] = "2",
        ["Training__Discovery__Encoder__Blocks"] = "1",
    };

    /// <summary>A new process with this one's options and environment, so on the same ports (for restarts after <see cref="KillHard"/>).</summary>
    public ServeProcess StartAgain(string name) => StartWith(name, serveOptions, httpPort, environment);

    /// <summary>Polls <c>GET /health</c> until the silo answers and counts <paramref name="activeSilos"/>; returns the report.</summary>
    public async Task<JsonElement> WaitHealthyAsync(int activeSilos, TimeSpan timeout)
    {
        try
        {
            return await Eventually.Until(
                () => process.HasExited
                    ? throw new InvalidOperationException($"silo {Name} exited ({process.ExitCode}):\n{Log}")
                    : Http.GetFromJsonAsync<JsonElement>("/health").WaitAsync(TimeSpan.FromSeconds(10)),
                health => health.GetProperty("activeSilos").GetInt32() == activeSilos,
                timeout,
                $"silo {Name} reporting {activeSilos} active silos",
                TimeSpan.FromMilliseconds(200),
                // Not listening yet, or the silo is still joining.
                transient: ex => ex is HttpRequestException or TaskCanceledException or TimeoutException);
        }
        catch (TimeoutException timedOut)
        {
            throw new TimeoutException($"{timedOut.Message}:\n{Log}", timedOut);
        }
    }

    /// <summary>Waits for the process to end by itself and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cancel.Token);
        return process.ExitCode;
    }

    /// <summary>kill -9: no shutdown, no membership goodbye.</summary>
    public void KillHard()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
    }

    public void Dispose()
    {
        KillHard();
        Http.Dispose();
        process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            log.AppendLine(line);
        }
    }

    /// <summary>A loopback port not handed out before in this process (<see cref="LoopbackPorts.Free"/>).</summary>
    public static int FreePort() => LoopbackPorts.Free();
}
