using System.CommandLine;
using AnomalyNcd.Core.Common;
using AnomalyNcd.Silo.Security;

namespace AnomalyNcd.Cli.Commands;

/// <summary>
/// <c>anomalyncd keys new</c>: mints a random API key, prints it once for the client and the <c>name:role:sha256</c>
/// grant for the server (<c>ANOMALYNCD_API_KEYS</c>); the server only ever holds the hash.
/// </summary>
internal static class KeysCommand
{
    public static Command Create(CliContext context)
    {
        var name = new Option<string>("--name") { Description = "Client name (letters, digits, '.', '_', '-'); used for rate limiting and logs.", DefaultValueFactory = _ => "client" };
        var role = new Option<string>("--role") { Description = "Role of the key: ingest (upload and read), viewer (read), operator or admin (everything).", DefaultValueFactory = _ => ApiRoles.Ingest };
        role.AcceptOnlyFromAmong([.. ApiRoles.All]);
        var mint = new Command("new", "Print a fresh random API key and the line that configures the server with its hash.") { name, role };
        mint.SetAction((parse, _) =>
        {
            var key = ApiKeyGrant.NewKey();
            var grant = ApiKeyGrant.ForKey(parse.GetValue(name)!, parse.GetValue(role)!, key);
            try
            {
                grant.Validate("--name");
            }
            catch (ArgumentException invalid)
            {
                throw new InvalidInputException(null, invalid.Message);
            }

            context.Out.WriteLine($"API key for {grant.Name} (role {grant.Role}); shown only now, give it to the client as --api-key or {IngestCommand.ApiKeyVariable}:");
            context.Out.WriteLine(key);
            context.Out.WriteLine($"Configure the server with (join several grants with commas):");
            context.Out.WriteLine($"{ServeCommand.ApiKeysVariable}={grant}");
            return Task.FromResult(AnomalyNcdCli.ExitOk);
        });

        var command = new Command("keys", "API keys for machine clients (ingest, cameras, scripts).");
        command.Subcommands.Add(mint);
        return command;
    }
}
