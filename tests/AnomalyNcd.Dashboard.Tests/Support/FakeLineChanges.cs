using AnomalyNcd.Dashboard.Data;

namespace AnomalyNcd.Dashboard.Tests.Support;

/// <summary>Line change notifications raised by the test.</summary>
internal sealed class FakeLineChanges : ILineChanges
{
    private readonly List<(string LineId, Func<Task> OnChanged)> subscriptions = [];

    public int Count(string lineId)
    {
        lock (subscriptions)
        {
            return subscriptions.Count(s => s.LineId == lineId);
        }
    }

    public IDisposable Subscribe(string lineId, Func<Task> onChanged)
    {
        var entry = (lineId, onChanged);
        lock (subscriptions)
        {
            subscriptions.Add(entry);
        }

        return new Unsubscriber(() =>
        {
            lock (subscriptions)
            {
                subscriptions.Remove(entry);
            }
        });
    }

    public async Task RaiseAsync(string lineId)
    {
        Func<Task>[] handlers;
        lock (subscriptions)
        {
            handlers = subscriptions.Where(s => s.LineId == lineId).Select(s => s.OnChanged).ToArray();
        }

        foreach (var handler in handlers)
        {
            await handler();
        }
    }

    private sealed class Unsubscriber(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}
