using AnomalyNcd.Core.Common;
using Spectre.Console;

namespace AnomalyNcd.Cli;

/// <summary>
/// Shows progress of long work: a Spectre.Console bar on an interactive terminal, plain
/// "stage: done/total" lines (at most about one per 10 %) when the output is piped or captured.
/// </summary>
public static class ProgressRunner
{
    public static async Task<T> RunAsync<T>(CliContext context, Func<IProgress<ProgressUpdate>, Task<T>> work)
    {
        var interactive = ReferenceEquals(context.Out, Console.Out) && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
        if (!interactive)
        {
            return await work(new PlainLineProgress(context.Out));
        }

        T result = default!;
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async ctx =>
            {
                var tasks = new Dictionary<string, ProgressTask>();
                var progress = new Progress<ProgressUpdate>(u =>
                {
                    if (!tasks.TryGetValue(u.Stage, out var task))
                    {
                        task = ctx.AddTask(u.Stage, maxValue: Math.Max(1, u.Total));
                        tasks[u.Stage] = task;
                    }

                    task.MaxValue = Math.Max(1, u.Total);
                    task.Value = u.Done;
                });
                result = await work(progress);
            });
        return result;
    }

    public static Task RunAsync(CliContext context, Func<IProgress<ProgressUpdate>, Task> work) =>
        RunAsync<bool>(context, async p =>
        {
            await work(p);
            return true;
        });

    /// <summary>Synchronous reporter that prints a line whenever a stage crosses another tenth.</summary>
    private sealed class PlainLineProgress(TextWriter output) : IProgress<ProgressUpdate>
    {
        private readonly Dictionary<string, int> _lastTenth = [];
        private readonly Lock _gate = new();

        public void Report(ProgressUpdate value)
        {
            var tenth = value.Total <= 0 ? 10 : (int)(10L * value.Done / value.Total);
            lock (_gate)
            {
                if (_lastTenth.TryGetValue(value.Stage, out var last) && last >= tenth && value.Done != value.Total)
                {
                    return;
                }

                if (_lastTenth.TryGetValue(value.Stage, out last) && last == tenth)
                {
                    return;
                }

                _lastTenth[value.Stage] = tenth;
                output.WriteLine($"{value.Stage}: {value.Done}/{value.Total}");
            }
        }
    }
}
