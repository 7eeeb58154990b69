using System.Globalization;
using Npgsql;

namespace AnomalyNcd.Cli.Bench;

/// <summary>
/// What the stores took per image during the measured run, for the capacity model (docs/CAPACITY.md): PostgreSQL
/// commits, rows written and WAL bytes (from <c>pg_stat_database</c> and the WAL position), and the bytes the artefact
/// store grew by. Commits and rows come from the server's statistics, which it publishes with up to a second's delay.
/// </summary>
internal sealed class StorageCounters
{
    private readonly string? postgres;
    private readonly string? artefactFolder;
    private Snapshot before;

    private StorageCounters(string? postgres, string? artefactFolder)
    {
        this.postgres = postgres;
        this.artefactFolder = artefactFolder;
    }

    /// <summary>Starts counting now; either store may be absent (null).</summary>
    public static async Task<StorageCounters> StartAsync(string? postgres, string? artefactFolder, CancellationToken cancellationToken)
    {
        var counters = new StorageCounters(postgres, artefactFolder);
        counters.before = await counters.ReadAsync(cancellationToken);
        return counters;
    }

    /// <summary>One line: the growth since <see cref="StartAsync"/> divided by <paramref name="images"/>.</summary>
    public async Task<string> PerImageAsync(long images, CancellationToken cancellationToken)
    {
        // Give the statistics collector its publishing interval, so the run's last commits are counted.
        await Task.Delay(TimeSpan.FromSeconds(1.5), cancellationToken);
        var after = await ReadAsync(cancellationToken);
        var parts = new List<string>();
        if (postgres is not null)
        {
            var syncs = after.WalSyncs is { } now && before.WalSyncs is { } then
                ? string.Create(CultureInfo.InvariantCulture, $", {(now - then) / (double)images:F3} WAL fsyncs")
                : "";
            parts.Add(string.Create(CultureInfo.InvariantCulture,
                $"{(after.Commits - before.Commits) / (double)images:F2} transactions (reads included), {(after.Rows - before.Rows) / (double)images:F2} rows written, {(after.WalBytes - before.WalBytes) / 1024.0 / images:F1} KB WAL{syncs} in PostgreSQL"));
        }

        if (artefactFolder is not null)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{(after.ArtefactBytes - before.ArtefactBytes) / 1024.0 / images:F1} KB of artefacts"));
        }

        return $"storage per image: {string.Join("; ", parts)}";
    }

    private async Task<Snapshot> ReadAsync(CancellationToken cancellationToken)
    {
        var snapshot = new Snapshot { ArtefactBytes = artefactFolder is null ? 0 : FolderBytes(artefactFolder) };
        if (postgres is null)
        {
            return snapshot;
        }

        await using var connection = new NpgsqlConnection(postgres);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT xact_commit, tup_inserted + tup_updated + tup_deleted, pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint
            FROM pg_stat_database WHERE datname = current_database()
            """;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        snapshot = snapshot with { Commits = reader.GetInt64(0), Rows = reader.GetInt64(1), WalBytes = reader.GetInt64(2) };
        await reader.DisposeAsync();
        return snapshot with { WalSyncs = await WalSyncsAsync(connection, cancellationToken) };
    }

    /// <summary>WAL flushes to disk so far (<c>pg_stat_wal.wal_sync</c>, PostgreSQL 14–17); null where the server has no such column.</summary>
    private static async Task<long?> WalSyncsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT wal_sync FROM pg_stat_wal";
            return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        }
        catch (PostgresException)
        {
            return null;
        }
    }

    private static long FolderBytes(string folder) => Directory.Exists(folder)
        ? new DirectoryInfo(folder).EnumerateFiles("*", SearchOption.AllDirectories).Sum(file => file.Length)
        : 0;

    private readonly record struct Snapshot(long Commits, long Rows, long WalBytes, long ArtefactBytes, long? WalSyncs);
}
