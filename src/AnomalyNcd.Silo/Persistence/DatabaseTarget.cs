using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace AnomalyNcd.Silo.Persistence;

/// <summary>Which database the silo's grain state, membership and reminders live in.</summary>
public sealed record DatabaseTarget(DatabaseKind Kind, string ConnectionString)
{
    /// <summary>The SQLite file name the embedded silo uses inside its data folder.</summary>
    public const string SqliteFileName = "anomalyncd.db";

    /// <summary>
    /// The ADO.NET invariant name the Orleans providers need. Orleans 10.4.2 knows SQLite only as
    /// <c>System.Data.SQLite</c> and maps it to the Microsoft.Data.Sqlite factory
    /// (<c>Microsoft.Data.Sqlite</c> itself is refused as unsupported).
    /// </summary>
    public string Invariant => Kind switch
    {
        DatabaseKind.Sqlite => "System.Data.SQLite",
        DatabaseKind.Postgres => "Npgsql",
        _ => throw new InvalidOperationException($"unknown database kind {Kind}"),
    };

    /// <summary>A SQLite database in <paramref name="file"/> (created on first use).</summary>
    public static DatabaseTarget Sqlite(string file)
    {
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = Path.GetFullPath(file),
            ForeignKeys = true,
            Pooling = true,
            DefaultTimeout = 30,
        };
        return new DatabaseTarget(DatabaseKind.Sqlite, builder.ConnectionString);
    }

    /// <summary>The embedded default: <see cref="SqliteFileName"/> inside the data folder.</summary>
    public static DatabaseTarget SqliteInDataFolder(string dataFolder) => Sqlite(Path.Combine(dataFolder, SqliteFileName));

    /// <summary>A PostgreSQL database given by an Npgsql connection string.</summary>
    public static DatabaseTarget Postgres(string connectionString) => new(DatabaseKind.Postgres, connectionString);

    /// <summary>Names the database for messages, without credentials.</summary>
    public string DisplayName => Kind switch
    {
        DatabaseKind.Sqlite => new SqliteConnectionStringBuilder(ConnectionString).DataSource,
        _ => PostgresDisplayName(ConnectionString),
    };

    /// <summary>The <c>anomalyncd db init</c> invocation that creates or upgrades this database's schema.</summary>
    public string InitCommandHint => Kind == DatabaseKind.Sqlite
        ? $"anomalyncd db init --sqlite {DisplayName}"
        : "anomalyncd db init --postgres \"<connection string>\"";

    internal DbConnection CreateConnection() => Kind switch
    {
        DatabaseKind.Sqlite => new SqliteConnection(ConnectionString),
        _ => new NpgsqlConnection(ConnectionString),
    };

    private static string PostgresDisplayName(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return $"postgres://{builder.Host}:{builder.Port}/{builder.Database}";
    }

    // The connection string may hold a password: keep it out of logs and exception messages.
    public override string ToString() => $"{Kind} {DisplayName}";
}
