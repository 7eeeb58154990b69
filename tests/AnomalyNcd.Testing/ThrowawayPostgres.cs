using System.Diagnostics;
using Npgsql;

namespace AnomalyNcd.Testing;

/// <summary>
/// A private PostgreSQL server for tests: <c>initdb</c> into a temp folder, <c>pg_ctl start</c>
/// on a free loopback port (durability settings off: it is thrown away), one database created, everything removed
/// on dispose. Runs the server as the <c>postgres</c> user when the process is root (initdb refuses root).
/// <c>bench/ingest-postgres.sh</c> starts the same kind of server for the ingest bench.
/// </summary>
public sealed class ThrowawayPostgres : IAsyncDisposable
{
    private const string BinariesRoot = "/usr/lib/postgresql";
    private readonly string binFolder;
    private readonly string folder;
    private readonly string? runAsUser;
    private bool started;
    private string serverOptions = "";

    private ThrowawayPostgres(string binFolder, string folder, string? runAsUser)
    {
        this.binFolder = binFolder;
        this.folder = folder;
        this.runAsUser = runAsUser;
    }

    public int Port { get; private set; }

    /// <summary>Connection string of the database created at start.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>Connection string of the server's maintenance database (no pooling).</summary>
    public string AdminConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Pooling=false";

    private string DataFolder => Path.Combine(folder, "data");

    /// <summary>Starts a server and creates database <paramref name="database"/> on it.</summary>
    /// <exception cref="InvalidOperationException">PostgreSQL is not installed, or a tool failed (its output is in the message).</exception>
    public static async Task<ThrowawayPostgres> StartAsync(string database = "anomalyncd", CancellationToken cancellationToken = default)
    {
        var bin = FindBinFolder();
        var folder = Path.Combine(Path.GetTempPath(), $"anomalyncd-pg-{Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);
        Directory.CreateDirectory(folder);
        var server = new ThrowawayPostgres(bin, folder, Environment.UserName == "root" ? "postgres" : null);
        try
        {
            await server.StartServerAsync(database, cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (started)
        {
            started = false;
            try
            {
                await RunAsync(Path.Combine(binFolder, "pg_ctl"), ["-D", DataFolder, "-m", "immediate", "-w", "stop"], CancellationToken.None);
            }
            catch (InvalidOperationException)
            {
                // Already gone; the folder is removed below either way.
            }
        }

        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    private async Task StartServerAsync(string database, CancellationToken cancellationToken)
    {
        if (runAsUser is not null)
        {
            await RunAsync("chown", ["-R", $"{runAsUser}:{runAsUser}", folder], cancellationToken, asServerUser: false);
        }

        await RunAsync(Path.Combine(binFolder, "initdb"), ["-D", DataFolder, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync", "--no-instructions"], cancellationToken);
        Port = LoopbackPorts.Free();
        serverOptions = $"-p {Port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200";
        await StartAgainAsync(cancellationToken);

        ConnectionString = await CreateDatabaseAsync(database, cancellationToken);
    }

    /// <summary>
    /// <c>pg_ctl stop -m fast</c>: the server rolls back open transactions, ends every connection and stops; clients see
    /// their connections break and new ones refused until <see cref="StartAgainAsync"/>. For outage tests.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        await RunAsync(Path.Combine(binFolder, "pg_ctl"), ["-D", DataFolder, "-m", "fast", "-w", "-t", "60", "stop"], cancellationToken);
        started = false;
    }

    /// <summary>Starts the (stopped) server again on the same port with the same data.</summary>
    public async Task StartAgainAsync(CancellationToken cancellationToken = default)
    {
        await RunAsync(Path.Combine(binFolder, "pg_ctl"), ["-D", DataFolder, "-l", Path.Combine(folder, "server.log"), "-o", serverOptions, "-w", "-t", "60", "start"], cancellationToken);
        started = true;
    }

    /// <summary>Creates another empty database on this server and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string database, CancellationToken cancellationToken = default)
    {
        var name = database.Replace("\"", "", StringComparison.Ordinal);
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = $"CREATE DATABASE \"{name}\"";
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return $"Host=127.0.0.1;Port={Port};Username=postgres;Database={name}";
    }

    private static string FindBinFolder()
    {
        var bin = Directory.Exists(BinariesRoot)
            ? Directory.GetDirectories(BinariesRoot)
                .Select(version => Path.Combine(version, "bin"))
                .Where(candidate => File.Exists(Path.Combine(candidate, "initdb")) && File.Exists(Path.Combine(candidate, "pg_ctl")))
                .OrderByDescending(candidate => candidate, StringComparer.Ordinal)
                .FirstOrDefault()
            : null;
        return bin ?? throw new InvalidOperationException(
            $"PostgreSQL server binaries (initdb, pg_ctl) not found under {BinariesRoot}; install them with `apt-get install -y postgresql`");
    }

    private async Task RunAsync(string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken, bool asServerUser = true)
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
        // Both streams are drained while waiting, so a chatty tool cannot block on a full pipe.
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            var log = Path.Combine(folder, "server.log");
            var serverLog = File.Exists(log) ? await File.ReadAllTextAsync(log, CancellationToken.None) : "";
            throw new InvalidOperationException(
                $"{Path.GetFileName(program)} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await output}{await error}{serverLog}");
        }
    }
}
