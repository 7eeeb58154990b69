using Orleans.Concurrency;

namespace AnomalyNcd.Contracts.Lines;

/// <summary>
/// Fans out one line's change notifications (key: line id) to subscribed observers, coalesced into batches so a busy
/// line pushes at most a few times per second. Subscriptions expire: subscribers renew them periodically
/// (<see cref="SubscriptionLifetime"/>), which also re-creates them after the grain was deactivated.
/// </summary>
[Alias("anomalyncd.ILineWatcherGrain")]
public interface ILineWatcherGrain : IGrainWithStringKey
{
    static readonly TimeSpan SubscriptionLifetime = TimeSpan.FromMinutes(2);

    [Alias("Subscribe")] Task SubscribeAsync(ILineChangeObserver observer);

    [Alias("Unsubscribe")] Task UnsubscribeAsync(ILineChangeObserver observer);

    /// <summary>Called by the line grain after each stored change; one-way so the line never waits on dashboards.</summary>
    [OneWay, Alias("Notify")] Task NotifyAsync(LineChange change);
}
