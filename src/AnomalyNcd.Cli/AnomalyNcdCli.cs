using System.CommandLine;
using AnomalyNcd.Cli.Commands;
using AnomalyNcd.Core.Common;

namespace AnomalyNcd.Cli;

/// <summary>Builds the <c>anomalyncd</c> command tree; every command lives in its own file under Commands/.</summary>
public static class AnomalyNcdCli
{
    public const int ExitOk = 0;
    public const int ExitInvalidInput = 2;
    public const int ExitFailure = 1;

    public static RootCommand Build(CliContext context)
    {
        var root = new RootCommand("AnomalyNcd: groups anomaly regions into defect classes, named and not yet named (AnomalyNCD, CVPR 2025).");
        Func<CliContext, Command>[] commands =
        [
            VersionCommand.Create,
            EvalCommand.Create,
            ImportCommand.Create,
            SynthCommand.Create,
            BenchCommand.Create,
            BinarizeCommand.Create,
            DemoCommand.Create,
            DiscoverCommand.Create,
            DetectCommand.Create,
            DbCommand.Create,
            ServeCommand.Create,
            IngestCommand.Create,
            KeysCommand.Create,
        ];
        foreach (var create in commands)
        {
            root.Subcommands.Add(create(context));
        }

        return root;
    }

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var context = new CliContext(stdout, stderr);
        var root = Build(context);
        try
        {
            var parsed = root.Parse(args);
            // On Ctrl+C / SIGTERM System.CommandLine cancels the command's token and, once this grace period is over,
            // ends the process itself with 130/143. Its default of 2 s is shorter than a silo's orderly stop on a busy
            // machine (seen as exit 143 after SIGTERM in the serve test), so commands get the host's shutdown time.
            return await parsed.InvokeAsync(new InvocationConfiguration
            {
                Output = stdout,
                Error = stderr,
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = TimeSpan.FromSeconds(30),
            });
        }
        catch (InvalidInputException ex)
        {
            stderr.WriteLine($"error: {ex.Message}");
            return ExitInvalidInput;
        }
        catch (OperationCanceledException)
        {
            stderr.WriteLine("error: cancelled");
            return ExitFailure;
        }
        catch (Exception ex) when (Environment.GetEnvironmentVariable("ANOMALYNCD_STACKTRACE") is null)
        {
            // One readable line; set ANOMALYNCD_STACKTRACE=1 to let the stack trace through.
            stderr.WriteLine($"error: unexpected {ex.GetType().Name}: {ex.Message}");
            return ExitFailure;
        }
    }
}
