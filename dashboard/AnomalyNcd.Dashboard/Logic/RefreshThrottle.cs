namespace AnomalyNcd.Dashboard.Logic;

/// <summary>
/// Coalesces bursts of change notifications into at most one refresh per <c>interval</c>: a trigger during a refresh
/// or within the interval after one schedules exactly one more refresh, so the last change is never missed.
/// </summary>
public sealed class RefreshThrottle(Func<Task> refresh, TimeSpan interval, TimeProvider? time = null) : IDisposable
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(250);

    private readonly TimeProvider clock = time ?? TimeProvider.System;
    private readonly Lock gate = new();
    private readonly CancellationTokenSource stopped = new();
    private bool scheduled;
    private DateTimeOffset lastStart = DateTimeOffset.MinValue;

    public int Refreshes { get; private set; }

    /// <summary>Asks for a refresh; returns once it is scheduled (not once it ran).</summary>
    public void Trigger()
    {
        lock (gate)
        {
            if (scheduled || stopped.IsCancellationRequested)
            {
                return;
            }

            scheduled = true;
        }

        _ = RunAsync();
    }

    public void Dispose() => stopped.Cancel();

    private async Task RunAsync()
    {
        try
        {
            var wait = lastStart + interval - clock.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, clock, stopped.Token);
            }

            lock (gate)
            {
                // Triggers from here on schedule the next refresh, so none arriving mid-refresh is lost.
                scheduled = false;
                lastStart = clock.GetUtcNow();
                Refreshes++;
            }

            await refresh();
        }
        catch (OperationCanceledException)
        {
        }
    }
}
