using System.Reflection;
using System.Text.RegularExpressions;

namespace AnomalyNcd.Silo.Persistence;

/// <summary>
/// The embedded SQL under Persistence/Sql: numbered migrations (<c>{dialect}.v{NNN}.sql</c>) and
/// the provider query texts (<c>{dialect}.queries.sql</c>, blocks headed <c>-- QueryKey: name</c>).
/// </summary>
internal static partial class SchemaScripts
{
    private const string ResourcePrefix = "AnomalyNcd.Silo.Persistence.Sql.";

    /// <summary>Every key the Orleans 10.4.2 ADO.NET providers look up (CleanupDefunctSiloEntryKey is optional to them; we ship it).</summary>
    public static readonly IReadOnlyList<string> RequiredQueryKeys =
    [
        "InsertMembershipVersionKey", "UpdateIAmAlivetimeKey", "InsertMembershipKey", "UpdateMembershipKey",
        "GatewaysQueryKey", "MembershipReadRowKey", "MembershipReadAllKey", "DeleteMembershipTableEntriesKey",
        "CleanupDefunctSiloEntriesKey", "CleanupDefunctSiloEntryKey",
        "WriteToStorageKey", "ReadFromStorageKey", "ClearStorageKey", "DeleteStorageKey",
        "UpsertReminderRowKey", "ReadReminderRowsKey", "ReadReminderRowKey", "ReadRangeRows1Key",
        "ReadRangeRows2Key", "DeleteReminderRowKey", "DeleteReminderRowsKey",
    ];

    public sealed record Migration(int Version, string Sql);

    public static string Dialect(DatabaseKind kind) => kind == DatabaseKind.Sqlite ? "sqlite" : "postgres";

    /// <summary>The migrations of one dialect in version order; versions run 1, 2, … without gaps.</summary>
    public static IReadOnlyList<Migration> Migrations(DatabaseKind kind)
    {
        var prefix = ResourcePrefix + Dialect(kind) + ".v";
        var migrations = Assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(prefix, StringComparison.Ordinal))
            .Select(name => (Match: MigrationName().Match(name), Name: name))
            .Where(item => item.Match.Success)
            .Select(item => new Migration(int.Parse(item.Match.Groups[1].Value), Read(item.Name)))
            .OrderBy(migration => migration.Version)
            .ToList();
        for (var i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version != i + 1)
            {
                throw new InvalidOperationException($"{Dialect(kind)} migrations are not numbered 1..{migrations.Count} (found v{migrations[i].Version} at position {i + 1})");
            }
        }

        return migrations;
    }

    /// <summary>Query texts by key, as the providers will read them from OrleansQuery.</summary>
    public static IReadOnlyDictionary<string, string> Queries(DatabaseKind kind)
    {
        var text = Read(ResourcePrefix + Dialect(kind) + ".queries.sql");
        var queries = new Dictionary<string, string>(StringComparer.Ordinal);
        string? key = null;
        var body = new List<string>();
        foreach (var line in text.Split('\n'))
        {
            var header = QueryHeader().Match(line);
            if (header.Success)
            {
                Flush();
                key = header.Groups[1].Value;
                continue;
            }

            if (key is not null)
            {
                body.Add(line.TrimEnd('\r'));
            }
        }

        Flush();
        var missing = RequiredQueryKeys.Where(required => !queries.ContainsKey(required)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException($"{Dialect(kind)}.queries.sql lacks {string.Join(", ", missing)}");
        }

        return queries;

        void Flush()
        {
            if (key is null)
            {
                return;
            }

            if (!queries.TryAdd(key, string.Join('\n', body).Trim()))
            {
                throw new InvalidOperationException($"{Dialect(kind)}.queries.sql defines {key} twice");
            }

            body.Clear();
        }
    }

    private static Assembly Assembly => typeof(SchemaScripts).Assembly;

    private static string Read(string resourceName)
    {
        using var stream = Assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"embedded SQL resource {resourceName} is missing from the build");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"\.v(\d+)\.sql$")]
    private static partial Regex MigrationName();

    [GeneratedRegex(@"^-- QueryKey: (\w+)\s*$")]
    private static partial Regex QueryHeader();
}
