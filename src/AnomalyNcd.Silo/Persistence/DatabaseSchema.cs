using System.Data.Common;
using System.Globalization;

namespace AnomalyNcd.Silo.Persistence;

/// <summary>
/// Creates, upgrades and checks our schema (tables for membership, grain state and reminders, the
/// OrleansQuery texts the providers run, and the <c>anomalyncd_schema</c> version table).
/// </summary>
public static class DatabaseSchema
{
    /// <summary>Arbitrary key for pg_advisory_xact_lock: two `db init` runs at once take turns.</summary>
    private const long PostgresInitLockKey = 0x616E6F6D616C79; // "anomaly"

    /// <summary>The schema version this build needs.</summary>
    public static int CurrentVersion => SchemaScripts.Migrations(DatabaseKind.Postgres).Count;

    /// <summary>
    /// Brings the database to <see cref="CurrentVersion"/>: creates the schema on an empty database,
    /// applies the missing migrations to an older one, and does nothing to a current one.
    /// Returns the version reached. One transaction: a failed upgrade leaves the old schema.
    /// </summary>
    public static Task<int> InitialiseAsync(DatabaseTarget target, CancellationToken cancellationToken = default) =>
        InitialiseAsync(target, CurrentVersion, cancellationToken);

    /// <summary>As <see cref="InitialiseAsync(DatabaseTarget, CancellationToken)"/>, stopping at <paramref name="targetVersion"/> (tests build older schemas with it).</summary>
    internal static async Task<int> InitialiseAsync(DatabaseTarget target, int targetVersion, CancellationToken cancellationToken)
    {
        var migrations = SchemaScripts.Migrations(target.Kind);
        if (targetVersion < 1 || targetVersion > migrations.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(targetVersion), $"schema versions run 1..{migrations.Count}");
        }

        if (target.Kind == DatabaseKind.Sqlite)
        {
            var folder = Path.GetDirectoryName(target.DisplayName);
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }
        }

        await using var connection = target.CreateConnection();
        await connection.OpenAsync(cancellationToken);
        if (target.Kind == DatabaseKind.Sqlite)
        {
            // Readers do not block the writer; the setting is stored in the file.
            await ExecuteAsync(connection, null, "PRAGMA journal_mode=WAL;", cancellationToken);
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (target.Kind == DatabaseKind.Postgres)
        {
            await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({PostgresInitLockKey});", cancellationToken);
        }

        var found = await ReadVersionAsync(connection, transaction, target.Kind, cancellationToken);
        if (found > migrations.Count)
        {
            throw NewerThanBuild(target, found);
        }

        if (found >= targetVersion)
        {
            await transaction.CommitAsync(cancellationToken);
            return found;
        }

        foreach (var migration in migrations.Where(m => m.Version > found && m.Version <= targetVersion))
        {
            await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken);
            await using var record = connection.CreateCommand();
            record.Transaction = transaction;
            record.CommandText = "INSERT INTO anomalyncd_schema (version, applied_at) VALUES (@version, @appliedAt);";
            AddParameter(record, "version", migration.Version);
            AddParameter(record, "appliedAt", DateTime.UtcNow);
            await record.ExecuteNonQueryAsync(cancellationToken);
        }

        await StoreQueriesAsync(connection, transaction, target.Kind, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return targetVersion;
    }

    /// <summary>
    /// Throws <see cref="SchemaOutOfDateException"/> unless the database has exactly the schema
    /// this build needs. The silo calls it before its providers touch the database.
    /// </summary>
    public static async Task EnsureCurrentAsync(DatabaseTarget target, CancellationToken cancellationToken = default)
    {
        var found = await ReadVersionAsync(target, cancellationToken);
        var required = CurrentVersion;
        if (found == 0)
        {
            throw new SchemaOutOfDateException(
                $"database {target.DisplayName} has no AnomalyNcd schema, this build needs version {required}; run `{target.InitCommandHint}`",
                found, required);
        }

        if (found < required)
        {
            throw new SchemaOutOfDateException(
                $"database {target.DisplayName} has schema version {found}, this build needs {required}; run `{target.InitCommandHint}`",
                found, required);
        }

        if (found > required)
        {
            throw NewerThanBuild(target, found);
        }
    }

    /// <summary>The schema version the database has; 0 when it has none (an empty or missing SQLite file too).</summary>
    public static async Task<int> ReadVersionAsync(DatabaseTarget target, CancellationToken cancellationToken = default)
    {
        if (target.Kind == DatabaseKind.Sqlite && !File.Exists(target.DisplayName))
        {
            return 0; // opening would create an empty file
        }

        await using var connection = target.CreateConnection();
        await connection.OpenAsync(cancellationToken);
        return await ReadVersionAsync(connection, null, target.Kind, cancellationToken);
    }

    private static async Task<int> ReadVersionAsync(DbConnection connection, DbTransaction? transaction, DatabaseKind kind, CancellationToken cancellationToken)
    {
        var tableExists = kind == DatabaseKind.Sqlite
            ? "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'anomalyncd_schema';"
            : "SELECT COUNT(*) FROM pg_catalog.pg_tables WHERE tablename = 'anomalyncd_schema' AND schemaname = ANY (current_schemas(false));";
        if (Convert.ToInt64(await ScalarAsync(connection, transaction, tableExists, cancellationToken), CultureInfo.InvariantCulture) == 0)
        {
            return 0;
        }

        var version = await ScalarAsync(connection, transaction, "SELECT COALESCE(MAX(version), 0) FROM anomalyncd_schema;", cancellationToken);
        return Convert.ToInt32(version, CultureInfo.InvariantCulture);
    }

    // The query texts follow the build, not a migration: every upgrade rewrites all of them.
    private static async Task StoreQueriesAsync(DbConnection connection, DbTransaction transaction, DatabaseKind kind, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, transaction, "DELETE FROM OrleansQuery;", cancellationToken);
        foreach (var (key, text) in SchemaScripts.Queries(kind))
        {
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES (@key, @text);";
            AddParameter(insert, "key", key);
            AddParameter(insert, "text", text);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static SchemaOutOfDateException NewerThanBuild(DatabaseTarget target, int found) => new(
        $"database {target.DisplayName} has schema version {found}, newer than this build's {CurrentVersion}; use a newer anomalyncd",
        found, CurrentVersion);

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    internal static async Task<object?> ScalarAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
