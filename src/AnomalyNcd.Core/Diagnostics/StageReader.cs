using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace AnomalyNcd.Core.Diagnostics;

/// <summary>One stage's totals as a <see cref="StageReader"/> saw them.</summary>
public readonly record struct StageTotal(string Stage, long Calls, TimeSpan Total);

/// <summary>
/// Sums what <see cref="StageHistogram"/>s record, per stage (calls, total time), for a bench that prints where the
/// time goes. It listens from construction until disposed; measurements of the same stage name in several of the
/// given histograms add up.
/// </summary>
public sealed class StageReader : IDisposable
{
    private readonly ConcurrentDictionary<string, Sum> sums = new(StringComparer.Ordinal);
    private readonly MeterListener listener = new();

    public StageReader(params StageHistogram[] histograms)
    {
        var watched = histograms.Select(h => (Instrument)h.Instrument).ToHashSet();
        listener.InstrumentPublished = (instrument, own) =>
        {
            if (watched.Contains(instrument))
            {
                own.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>(OnMeasurement);
        listener.Start();
    }

    /// <summary>Each stage's calls and total time so far, ordered by name.</summary>
    public IReadOnlyList<StageTotal> Snapshot() =>
        [.. sums.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => Total(s.Key, s.Value))];

    /// <summary>One stage's totals (zero when it has not been recorded).</summary>
    public StageTotal this[string stage] =>
        sums.TryGetValue(stage, out var sum) ? Total(stage, sum) : new StageTotal(stage, 0, TimeSpan.Zero);

    /// <summary>Forgets everything read so far (a bench resets after its warm-up).</summary>
    public void Reset() => sums.Clear();

    public void Dispose() => listener.Dispose();

    private static StageTotal Total(string stage, Sum sum) =>
        new(stage, Interlocked.Read(ref sum.Calls), TimeSpan.FromTicks(Interlocked.Read(ref sum.Nanoseconds) / 100));

    private void OnMeasurement(Instrument instrument, double seconds, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        var stage = string.Empty;
        foreach (var tag in tags)
        {
            if (tag.Key == StageHistogram.StageTag && tag.Value is string name)
            {
                stage = name;
            }
        }

        var sum = sums.GetOrAdd(stage, static _ => new Sum());
        // Whole nanoseconds: interlocked integer adds, exact enough for sums of stages that take microseconds or more.
        Interlocked.Add(ref sum.Nanoseconds, (long)Math.Round(seconds * 1e9));
        Interlocked.Increment(ref sum.Calls);
    }

    private sealed class Sum
    {
        public long Nanoseconds;
        public long Calls;
    }
}
