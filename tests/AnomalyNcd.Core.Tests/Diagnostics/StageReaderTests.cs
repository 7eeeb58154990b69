using System.Diagnostics;
using System.Diagnostics.Metrics;
using AnomalyNcd.Core.Diagnostics;

namespace AnomalyNcd.Core.Tests.Diagnostics;

/// <summary>The one timing primitive: stage histograms on a meter, read back per stage by a <see cref="StageReader"/>.</summary>
public sealed class StageReaderTests : IDisposable
{
    // A meter of this test alone: other tests record on the product's meter at the same time.
    private readonly Meter meter = new($"test.stages.{Guid.NewGuid():N}");

    public void Dispose() => meter.Dispose();

    [Fact]
    public void Reader_SumsCallsAndTimePerStage_OrderedByName_AndResetForgets()
    {
        var histogram = new StageHistogram(meter, "test.duration", "test");
        using var reader = new StageReader(histogram);

        histogram.Record("b.second", TimeSpan.FromMilliseconds(2));
        histogram.Record("a.first", TimeSpan.FromMilliseconds(1));
        histogram.Record("b.second", TimeSpan.FromMilliseconds(3));

        var snapshot = reader.Snapshot();
        Assert.Equal(new[] { "a.first", "b.second" }, snapshot.Select(s => s.Stage));
        Assert.Equal(1, reader["a.first"].Calls);
        Assert.Equal(2, reader["b.second"].Calls);
        Assert.Equal(5.0, reader["b.second"].Total.TotalMilliseconds, 6);
        Assert.Equal(0, reader["never"].Calls);

        reader.Reset();

        Assert.Empty(reader.Snapshot());
        histogram.Record("a.first", TimeSpan.FromMilliseconds(4));
        Assert.Equal(1, reader["a.first"].Calls);
        Assert.Equal(4.0, reader["a.first"].Total.TotalMilliseconds, 6);
    }

    [Fact]
    public void Reader_HearsOnlyItsHistograms_AndNothingBeforeItExisted()
    {
        var watched = new StageHistogram(meter, "test.watched", "test");
        var other = new StageHistogram(meter, "test.other", "test");
        watched.Record("early", TimeSpan.FromMilliseconds(1));
        using var reader = new StageReader(watched);

        other.Record("elsewhere", TimeSpan.FromMilliseconds(1));
        watched.Record("late", TimeSpan.FromMilliseconds(1));

        Assert.Equal(new[] { "late" }, reader.Snapshot().Select(s => s.Stage));
    }

    [Fact]
    public void Measure_TimesTheScope_AndRecordsNothingWhileNobodyListens()
    {
        var histogram = new StageHistogram(meter, "test.scoped", "test");
        using (histogram.Measure("unheard"))
        {
        }

        Assert.False(histogram.Instrument.Enabled);
        using var reader = new StageReader(histogram);
        Assert.True(histogram.Instrument.Enabled);
        var start = Stopwatch.GetTimestamp();
        using (histogram.Measure("heard"))
        {
            Thread.Sleep(20);
        }

        var outer = Stopwatch.GetElapsedTime(start);
        Assert.Equal(new[] { "heard" }, reader.Snapshot().Select(s => s.Stage));
        Assert.InRange(reader["heard"].Total, TimeSpan.FromMilliseconds(19), outer);
    }

    [Fact]
    public void Laps_KeepEachStageInOrder_AndRecordTheSameDurations()
    {
        var histogram = new StageHistogram(meter, "test.laps", "test");
        using var reader = new StageReader(histogram);
        var laps = new StageLaps(histogram);

        Thread.Sleep(5);
        laps.Lap("regions and crops");
        laps.Lap("training");

        Assert.Equal(new[] { "regions and crops", "training" }, laps.Times.Keys);
        Assert.True(laps.Times["regions and crops"] >= TimeSpan.FromMilliseconds(4));
        foreach (var (stage, time) in laps.Times)
        {
            Assert.Equal(1, reader[stage].Calls);
            // The reader sums whole nanoseconds, then ticks: at most one tick apart.
            Assert.InRange((reader[stage].Total - time).Duration().Ticks, 0, 1);
        }
    }
}
