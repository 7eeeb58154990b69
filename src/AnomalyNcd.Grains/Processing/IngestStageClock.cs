using System.Collections.Concurrent;
using System.Diagnostics;

namespace AnomalyNcd.Grains.Processing;

/// <summary>
/// Process-wide totals of the time the ingest path spends in each stage (API parsing, decoding, MEBin, artefact
/// writes, state writes …), so <c>anomalyncd bench ingest</c> can say where the time goes without a profiler.
/// Two interlocked adds per measured stage; cheap enough to stay on in production.
/// </summary>
public static class IngestStageClock
{
    private static readonly ConcurrentDictionary<string, StageTotal> Totals = new(StringComparer.Ordinal);

    /// <summary>Adds the time since <paramref name="startTimestamp"/> (a <see cref="Stopwatch.GetTimestamp"/>) to the stage.</summary>
    public static void Record(string stage, long startTimestamp)
    {
        var total = Totals.GetOrAdd(stage, _ => new StageTotal());
        Interlocked.Add(ref total.Ticks, Stopwatch.GetTimestamp() - startTimestamp);
        Interlocked.Increment(ref total.Calls);
    }

    /// <summary>Each stage's call count and total time so far, ordered by name.</summary>
    public static IReadOnlyList<(string Stage, long Calls, TimeSpan Total)> Snapshot() =>
        [.. Totals.OrderBy(t => t.Key, StringComparer.Ordinal)
            .Select(t => (t.Key, Interlocked.Read(ref t.Value.Calls), Stopwatch.GetElapsedTime(0, Interlocked.Read(ref t.Value.Ticks))))];

    /// <summary>Forgets everything measured so far (the bench resets after its warm-up).</summary>
    public static void Reset() => Totals.Clear();

    private sealed class StageTotal
    {
        public long Ticks;
        public long Calls;
    }
}
