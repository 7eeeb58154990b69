using System.Collections.Concurrent;
using AnomalyNcd.Contracts.Lines;
using Microsoft.Extensions.Logging;

namespace AnomalyNcd.Dashboard.Data;

/// <summary>
/// One observer per dashboard process, subscribed to the <see cref="ILineWatcherGrain"/> of every line some open page
/// watches. Works co-hosted in a silo and in an Orleans client alike. Subscriptions are renewed every
/// <see cref="RenewInterval"/>, well within their lifetime, which also re-subscribes after a watcher grain moved or was
/// deactivated.
/// </summary>
public sealed class GrainLineChanges : ILineChanges, ILineChangeObserver, IDisposable
{
    public static readonly TimeSpan RenewInterval = ILineWatcherGrain.SubscriptionLifetime / 4;

    private readonly IGrainFactory grains;
    private readonly ILogger<GrainLineChanges> logger;
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<Subscription, byte>> handlers = new(StringComparer.Ordinal);
    private readonly Lazy<ILineChangeObserver> reference;
    private readonly Timer renewTimer;

    public GrainLineChanges(IGrainFactory grains, ILogger<GrainLineChanges> logger)
    {
        this.grains = grains;
        this.logger = logger;
        reference = new Lazy<ILineChangeObserver>(() => grains.CreateObjectReference<ILineChangeObserver>(this));
        renewTimer = new Timer(_ => RenewAll(), null, RenewInterval, RenewInterval);
    }

    public IDisposable Subscribe(string lineId, Func<Task> onChanged)
    {
        var subscription = new Subscription(this, lineId, onChanged);
        var lineHandlers = handlers.GetOrAdd(lineId, _ => new());
        var first = lineHandlers.IsEmpty;
        lineHandlers[subscription] = 0;
        if (first)
        {
            Watch(lineId, subscribe: true);
        }

        return subscription;
    }

    public Task LinesChangedAsync(LineChange[] changes)
    {
        foreach (var lineId in changes.Select(c => c.LineId).Distinct(StringComparer.Ordinal))
        {
            if (!handlers.TryGetValue(lineId, out var lineHandlers))
            {
                continue;
            }

            foreach (var subscription in lineHandlers.Keys)
            {
                // Handlers run off the grain-call thread; a failing page must not stop the others.
                _ = Task.Run(async () =>
                {
                    try
                    {
                        await subscription.OnChanged();
                    }
                    catch (Exception ex)
                    {
                        logger.LogDebug(ex, "A page's refresh after a change of line {Line} failed", lineId);
                    }
                });
            }
        }

        return Task.CompletedTask;
    }

    public void Dispose() => renewTimer.Dispose();

    private void Remove(Subscription subscription)
    {
        if (handlers.TryGetValue(subscription.LineId, out var lineHandlers)
            && lineHandlers.TryRemove(subscription, out _)
            && lineHandlers.IsEmpty)
        {
            Watch(subscription.LineId, subscribe: false);
        }
    }

    private void RenewAll()
    {
        foreach (var (lineId, lineHandlers) in handlers)
        {
            if (!lineHandlers.IsEmpty)
            {
                Watch(lineId, subscribe: true);
            }
        }
    }

    private void Watch(string lineId, bool subscribe) => _ = Task.Run(async () =>
    {
        try
        {
            var watcher = grains.GetGrain<ILineWatcherGrain>(lineId);
            await (subscribe ? watcher.SubscribeAsync(reference.Value) : watcher.UnsubscribeAsync(reference.Value));
        }
        catch (Exception ex)
        {
            // The next renewal tries again; until then the page just shows what it loaded.
            logger.LogWarning(ex, "Could not {Action} line {Line}'s changes", subscribe ? "watch" : "stop watching", lineId);
        }
    });

    private sealed class Subscription(GrainLineChanges owner, string lineId, Func<Task> onChanged) : IDisposable
    {
        public string LineId { get; } = lineId;

        public Func<Task> OnChanged { get; } = onChanged;

        public void Dispose() => owner.Remove(this);
    }
}
