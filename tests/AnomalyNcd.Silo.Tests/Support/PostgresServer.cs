using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace AnomalyNcd.Silo.Tests.Support;

/// <summary>
/// A throwaway PostgreSQL for the tests: <c>initdb</c> into a temp folder, <c>pg_ctl start</c> on a
/// free loopback port, removed on dispose. Fails (never skips) when PostgreSQL is not installed.
/// Runs the server as the <c>postgres</c> user when the tests run as root (initdb refuses root).
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private const string InstallHint = "install postgresql: scripts/ensure-system-packages.sh --tests";
    private string binFolder = "";
    private string folder = "";
    private string? runAsUser;
    private int databaseCount;

    public int Port { get; private set; }

    /// <summary>Connection string of the server's maintenance database.</summary>
    public string AdminConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Pooling=false";

    public async Task InitializeAsync()
    {
        binFolder = FindBinFolder();
        folder = Path.Combine(Path.GetTempPath(), $"anomalyncd-pg-{Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);
        Directory.CreateDirectory(folder);
        var dataFolder = Path.Combine(folder, "data");
        if (Environment.UserName == "root")
        {
            runAsUser = "postgres";
            await RunAsync("chown", ["-R", "postgres:postgres", folder], asServerUser: false);
        }

        await RunAsync(Path.Combine(binFolder, "initdb"), ["-D", dataFolder, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync", "--no-instructions"]);
        Port = FreeLoopbackPort();
        var serverOptions = $"-p {Port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
        await RunAsync(Path.Combine(binFolder, "pg_ctl"), ["-D", dataFolder, "-l", Path.Combine(folder, "server.log"), "-o", serverOptions, "-w", "-t", "60", "start"]);
    }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"test_{Interlocked.Increment(ref databaseCount)}_{Guid.NewGuid():N}"[..30];
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"CREATE DATABASE {name}";
        await command.ExecuteNonQueryAsync();
        return $"Host=127.0.0.1;Port={Port};Username=postgres;Database={name}";
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (Port != 0)
        {
            await RunAsync(Path.Combine(binFolder, "pg_ctl"), ["-D", Path.Combine(folder, "data"), "-m", "immediate", "-w", "stop"]);
        }

        if (folder.Length > 0 && Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string FindBinFolder()
    {
        const string root = "/usr/lib/postgresql";
        var bin = Directory.Exists(root)
            ? Directory.GetDirectories(root)
                .Select(version => Path.Combine(version, "bin"))
                .Where(candidate => File.Exists(Path.Combine(candidate, "initdb")) && File.Exists(Path.Combine(candidate, "pg_ctl")))
                .OrderByDescending(candidate => candidate, StringComparer.Ordinal)
                .FirstOrDefault()
            : null;
        return bin ?? throw new InvalidOperationException($"PostgreSQL server binaries (initdb, pg_ctl) not found under {root}; {InstallHint}");
    }

    private static int FreeLoopbackPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private async Task RunAsync(string program, IReadOnlyList<string> arguments, bool asServerUser = true)
    {
        var start = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (asServerUser && runAsUser is not null)
        {
            start.FileName = "runuser";
            foreach (var argument in new[] { "-u", runAsUser, "--", program })
            {
                start.ArgumentList.Add(argument);
            }
        }
        else
        {
            start.FileName = program;
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        // Drain both streams while waiting so a chatty tool cannot block on a full pipe.
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            var log = Path.Combine(folder, "server.log");
            var serverLog = File.Exists(log) ? await File.ReadAllTextAsync(log) : "";
            throw new InvalidOperationException(
                $"{Path.GetFileName(program)} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await output}{await error}{serverLog}");
        }
    }
}

/// <summary>Tests that need PostgreSQL share one throwaway server.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "PostgreSQL";
}
