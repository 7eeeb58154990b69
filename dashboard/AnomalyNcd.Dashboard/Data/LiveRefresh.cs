using AnomalyNcd.Dashboard.Logic;

namespace AnomalyNcd.Dashboard.Data;

/// <summary>
/// A page's live updates: watches some lines and calls <c>refresh</c> after changes, at most once per throttle
/// interval (about 4 refreshes/s). Pages create one in their initialisation and dispose it with themselves.
/// </summary>
public sealed class LiveRefresh : IDisposable
{
    private readonly RefreshThrottle throttle;
    private readonly IDisposable[] subscriptions;

    public LiveRefresh(ILineChanges changes, IEnumerable<string> lineIds, Func<Task> refresh, TimeSpan? interval = null)
    {
        throttle = new RefreshThrottle(refresh, interval ?? RefreshThrottle.DefaultInterval);
        LineIds = lineIds.Distinct(StringComparer.Ordinal).ToArray();
        subscriptions = LineIds.Select(line => changes.Subscribe(line, () =>
        {
            throttle.Trigger();
            return Task.CompletedTask;
        })).ToArray();
    }

    public IReadOnlyList<string> LineIds { get; }

    public bool Watches(IEnumerable<string> lineIds) => LineIds.SequenceEqual(lineIds.Distinct(StringComparer.Ordinal));

    public void Dispose()
    {
        foreach (var subscription in subscriptions)
        {
            subscription.Dispose();
        }

        throttle.Dispose();
    }
}
