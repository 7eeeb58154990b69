using System.Globalization;
using Npgsql;

namespace AnomalyNcd.Cli.Bench;

/// <summary>
/// CPU time used by a PostgreSQL server on this machine (its postmaster and every child process), read from
/// <c>/proc</c>, so the ingest bench can count the database's share of the work next to its own.
/// </summary>
internal sealed class PostgresServerCpu
{
    private const double TicksPerSecond = 100; // USER_HZ on Linux
    private readonly int postmaster;

    private PostgresServerCpu(int postmaster) => this.postmaster = postmaster;

    /// <summary>
    /// The server behind <paramref name="connectionString"/> when it runs on this machine (Linux only): the backend
    /// serving a connection is a child of the postmaster. Null for a remote server or one in another PID namespace.
    /// </summary>
    public static async Task<PostgresServerCpu?> FindAsync(string connectionString, CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        int backend;
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT pg_backend_pid()";
            backend = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        }

        // The same pid here must also be a postgres process, else the server lives in another PID namespace.
        return Stat(backend) is { } stat && IsPostgres(backend) && IsPostgres(stat.Parent) ? new PostgresServerCpu(stat.Parent) : null;
    }

    /// <summary>CPU time used so far by the server and its live backends.</summary>
    public TimeSpan CpuTime()
    {
        long ticks = 0;
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(folder), out var pid) && Stat(pid) is { } stat && (pid == postmaster || stat.Parent == postmaster))
            {
                ticks += stat.Ticks;
            }
        }

        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    private static bool IsPostgres(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim().StartsWith("postgres", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Parent pid and utime + stime + cutime + cstime of a process; null when it is gone.</summary>
    private static (int Parent, long Ticks)? Stat(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // Fields after the command name: state ppid … utime(14) stime(15) cutime(16) cstime(17), counted from 1.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var parent = int.Parse(fields[1], CultureInfo.InvariantCulture);
            return (parent, fields.Skip(11).Take(4).Sum(f => long.Parse(f, CultureInfo.InvariantCulture)));
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
