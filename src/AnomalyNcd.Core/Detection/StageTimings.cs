using System.Diagnostics;

namespace AnomalyNcd.Core.Detection;

/// <summary>
/// Wall-clock time spent per <see cref="ScoringStage"/>, summed over the images scored with it. Not thread-safe:
/// use one instance per scoring thread.
/// </summary>
public sealed class StageTimings
{
    private readonly long[] ticks = new long[Enum.GetValues<ScoringStage>().Length];

    /// <summary>Starts timing a stage; the time is added when the returned scope is disposed.</summary>
    public Scope Measure(ScoringStage stage) => new(this, stage, Stopwatch.GetTimestamp());

    /// <summary>Like <see cref="Measure"/>, but a no-op scope when <paramref name="timings"/> is null.</summary>
    public static Scope Measure(StageTimings? timings, ScoringStage stage) => new(timings, stage, timings is null ? 0 : Stopwatch.GetTimestamp());

    /// <summary>Adds an externally measured duration.</summary>
    public void Add(ScoringStage stage, TimeSpan elapsed) => ticks[(int)stage] += (long)(elapsed.TotalSeconds * Stopwatch.Frequency);

    public TimeSpan this[ScoringStage stage] => Stopwatch.GetElapsedTime(0, ticks[(int)stage]);

    public TimeSpan Total => Stopwatch.GetElapsedTime(0, ticks.Sum());

    public void Reset() => Array.Clear(ticks);

    /// <summary>Measures one stage until disposed (a struct, so timing allocates nothing).</summary>
    public readonly struct Scope(StageTimings? owner, ScoringStage stage, long start) : IDisposable
    {
        public void Dispose()
        {
            if (owner is not null)
            {
                owner.ticks[(int)stage] += Stopwatch.GetTimestamp() - start;
            }
        }
    }
}
