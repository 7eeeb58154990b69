using System.CommandLine;
using AnomalyNcd.Core.Common;
using AnomalyNcd.Silo.Persistence;

namespace AnomalyNcd.Cli.Commands;

/// <summary><c>anomalyncd db init</c>: creates or upgrades the AnomalyNcd schema in SQLite or PostgreSQL.</summary>
internal static class DbCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("db", "Database schema for grain state, cluster membership and reminders.");
        command.Subcommands.Add(CreateInit(context));
        return command;
    }

    private static Command CreateInit(CliContext context)
    {
        var postgres = new Option<string>("--postgres") { Description = "Npgsql connection string of the cluster's PostgreSQL database (e.g. \"Host=db;Database=anomalyncd;Username=…;Password=…\")." };
        var sqlite = new Option<string>("--sqlite") { Description = "SQLite database file (created when missing); the embedded silo creates its own automatically." };
        var command = new Command("init", "Create or upgrade the schema; running it again on a current database changes nothing.");
        command.Options.Add(postgres);
        command.Options.Add(sqlite);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var target = Target(parseResult.GetValue(postgres), parseResult.GetValue(sqlite));
            var before = await DatabaseSchema.ReadVersionAsync(target, cancellationToken);
            var reached = await DatabaseSchema.InitialiseAsync(target, cancellationToken);
            var what = before == reached ? "already current"
                : before == 0 ? "created"
                : $"upgraded from version {before}";
            context.Out.WriteLine($"{target.DisplayName}: schema version {reached} ({what})");
            return AnomalyNcdCli.ExitOk;
        });
        return command;
    }

    private static DatabaseTarget Target(string? postgres, string? sqlite) => (postgres, sqlite) switch
    {
        ({ Length: > 0 }, null) => DatabaseTarget.Postgres(postgres),
        (null, { Length: > 0 }) => DatabaseTarget.Sqlite(sqlite),
        _ => throw new InvalidInputException(null, "give exactly one of --postgres CONNECTION or --sqlite FILE"),
    };
}
