using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace AnomalyNcd.Core.Diagnostics;

/// <summary>
/// Durations (seconds) of the stages of one area, as one <see cref="Histogram{T}"/> whose <c>stage</c> tag names the
/// stage. Recording costs nothing beyond a flag check while nobody listens; with a listener it is one
/// <see cref="Histogram{T}.Record(T, KeyValuePair{string, object?})"/> with the tag on the stack (no allocation).
/// </summary>
public sealed class StageHistogram
{
    /// <summary>The tag that names the stage of a measurement.</summary>
    public const string StageTag = "stage";

    public StageHistogram(Meter meter, string name, string description)
    {
        ArgumentNullException.ThrowIfNull(meter);
        Instrument = meter.CreateHistogram<double>(name, "s", description);
    }

    public Histogram<double> Instrument { get; }

    /// <summary>Adds the time since <paramref name="startTimestamp"/> (a <see cref="Stopwatch.GetTimestamp"/>) to the stage.</summary>
    public void Record(string stage, long startTimestamp)
    {
        if (Instrument.Enabled)
        {
            Instrument.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, new KeyValuePair<string, object?>(StageTag, stage));
        }
    }

    /// <summary>Adds a duration measured elsewhere to the stage.</summary>
    public void Record(string stage, TimeSpan elapsed) =>
        Instrument.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>(StageTag, stage));

    /// <summary>Times the stage until the returned scope is disposed; reads no clock while nobody listens.</summary>
    public Scope Measure(string stage) => new(this, stage, Instrument.Enabled ? Stopwatch.GetTimestamp() : 0);

    /// <summary>One stage being timed (a struct, so timing allocates nothing).</summary>
    public readonly struct Scope(StageHistogram owner, string stage, long start) : IDisposable
    {
        public void Dispose()
        {
            if (start != 0)
            {
                owner.Record(stage, start);
            }
        }
    }
}
