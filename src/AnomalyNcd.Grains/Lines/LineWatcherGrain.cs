using AnomalyNcd.Contracts.Lines;

namespace AnomalyNcd.Grains.Lines;

/// <summary>
/// In-memory fan-out of one line's changes to dashboard observers. Changes arriving within <see cref="FlushInterval"/>
/// of the last push are coalesced (latest per kind) and pushed once by a one-shot timer, so a line ingesting many
/// images per second costs each dashboard at most a few pushes per second. Nothing is persisted: subscribers renew
/// their subscriptions, which also restores them after this grain is deactivated.
/// </summary>
public sealed class LineWatcherGrain : Grain, ILineWatcherGrain
{
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(250);

    private readonly Dictionary<ILineChangeObserver, DateTimeOffset> expiries = [];
    private readonly Dictionary<LineChangeKind, LineChange> pending = [];
    private DateTimeOffset lastFlush = DateTimeOffset.MinValue;
    private IGrainTimer? flushTimer;

    public Task SubscribeAsync(ILineChangeObserver observer)
    {
        expiries[observer] = DateTimeOffset.UtcNow + ILineWatcherGrain.SubscriptionLifetime;
        return Task.CompletedTask;
    }

    public Task UnsubscribeAsync(ILineChangeObserver observer)
    {
        expiries.Remove(observer);
        return Task.CompletedTask;
    }

    public Task NotifyAsync(LineChange change)
    {
        pending[change.Kind] = change;
        var wait = lastFlush + FlushInterval - DateTimeOffset.UtcNow;
        if (wait <= TimeSpan.Zero)
        {
            Flush();
        }
        else
        {
            flushTimer ??= this.RegisterGrainTimer(FlushFromTimer, wait, Timeout.InfiniteTimeSpan);
        }

        return Task.CompletedTask;
    }

    private Task FlushFromTimer()
    {
        flushTimer?.Dispose();
        flushTimer = null;
        Flush();
        return Task.CompletedTask;
    }

    private void Flush()
    {
        if (pending.Count == 0)
        {
            return;
        }

        var batch = pending.Values.OrderBy(c => c.At).ToArray();
        pending.Clear();
        lastFlush = DateTimeOffset.UtcNow;
        foreach (var (observer, expiry) in expiries.ToArray())
        {
            if (expiry < lastFlush)
            {
                expiries.Remove(observer);
                continue;
            }

            // One-way: a slow or vanished dashboard never holds up the line; expiry drops the vanished ones.
            _ = observer.LinesChangedAsync(batch);
        }
    }
}
