using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace AnomalyNcd.Silo.Persistence;

/// <summary>
/// Whether a commit the database acknowledged survives a power loss, read from the database's own settings (so a
/// benchmark header or a health check says what the server really does, not what it was meant to be started with).
/// </summary>
public sealed record DatabaseDurability(bool Durable, string Settings)
{
    /// <summary>One phrase for a report header: "durable: fsync on (…)" or "NOT durable: … (why)".</summary>
    public string Describe() => Durable
        ? $"durable: fsync on ({Settings})"
        : $"NOT durable: {Settings} (a crash of the machine can lose acknowledged images)";

    /// <summary>
    /// PostgreSQL is durable when every commit is flushed (<c>fsync</c> on, <c>synchronous_commit</c> not off) and pages
    /// torn by a crash can be repaired (<c>full_page_writes</c> on). <c>local</c> and <c>remote_*</c> flush locally too.
    /// </summary>
    public static DatabaseDurability FromPostgres(string fsync, string synchronousCommit, string fullPageWrites) => new(
        fsync == "on" && synchronousCommit != "off" && fullPageWrites == "on",
        $"PostgreSQL fsync={fsync}, synchronous_commit={synchronousCommit}, full_page_writes={fullPageWrites}");

    /// <summary>
    /// SQLite syncs every commit with <c>synchronous</c> FULL (2) or EXTRA (3); NORMAL (1) in WAL mode survives a killed
    /// process but can lose the last commits on power loss; OFF (0) leaves it to the operating system.
    /// </summary>
    public static DatabaseDurability FromSqlite(string journalMode, long synchronous)
    {
        var level = synchronous switch { 0 => "OFF", 1 => "NORMAL", 2 => "FULL", 3 => "EXTRA", _ => synchronous.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        return new DatabaseDurability(synchronous >= 2, $"SQLite journal_mode={journalMode}, synchronous={level}");
    }

    /// <summary>Reads the settings a new connection of <paramref name="target"/> gets, as the silo's connections do.</summary>
    public static async Task<DatabaseDurability> ReadAsync(DatabaseTarget target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        await using var connection = target.CreateConnection();
        await connection.OpenAsync(cancellationToken);
        return connection switch
        {
            SqliteConnection => FromSqlite(
                (string)(await ScalarAsync(connection, "PRAGMA journal_mode;", cancellationToken))!,
                (long)(await ScalarAsync(connection, "PRAGMA synchronous;", cancellationToken))!),
            NpgsqlConnection => FromPostgres(
                (string)(await ScalarAsync(connection, "SHOW fsync;", cancellationToken))!,
                (string)(await ScalarAsync(connection, "SHOW synchronous_commit;", cancellationToken))!,
                (string)(await ScalarAsync(connection, "SHOW full_page_writes;", cancellationToken))!),
            _ => throw new NotSupportedException($"no durability check for {target.Kind}"),
        };
    }

    private static Task<object?> ScalarAsync(DbConnection connection, string sql, CancellationToken cancellationToken) =>
        DatabaseSchema.ScalarAsync(connection, null, sql, cancellationToken);
}
