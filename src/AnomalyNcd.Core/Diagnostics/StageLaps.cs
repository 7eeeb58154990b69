using System.Diagnostics;

namespace AnomalyNcd.Core.Diagnostics;

/// <summary>
/// Consecutive stages of one run timed back to back: each <see cref="Lap"/> ends a stage, records it in the histogram
/// and keeps it in <see cref="Times"/> (in stage order) for a result file that reports this run's own times.
/// </summary>
public sealed class StageLaps(StageHistogram histogram)
{
    private readonly Dictionary<string, TimeSpan> times = [];
    private long start = Stopwatch.GetTimestamp();

    public IReadOnlyDictionary<string, TimeSpan> Times => times;

    /// <summary>Ends <paramref name="stage"/> now (it began at the previous lap or at construction); the next one starts.</summary>
    public void Lap(string stage)
    {
        var now = Stopwatch.GetTimestamp();
        var elapsed = Stopwatch.GetElapsedTime(start, now);
        start = now;
        times[stage] = elapsed;
        histogram.Record(stage, elapsed);
    }
}
