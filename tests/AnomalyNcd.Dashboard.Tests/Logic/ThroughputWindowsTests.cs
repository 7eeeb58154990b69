using AnomalyNcd.Dashboard.Logic;
using AnomalyNcd.Dashboard.Tests.Support;

namespace AnomalyNcd.Dashboard.Tests.Logic;

public sealed class ThroughputWindowsTests
{
    [Fact]
    public void Rates_ABurstOf141ImagesInThreeSeconds_ReadsTheImagesPerWindowNotAnExtrapolation()
    {
        // The old computation (count / span from first receipt to last completion) read about 180,600 per hour here.
        var now = Classes.At;
        var burst = Enumerable.Range(0, 141).Select(i => Regions.Image($"i{i}", null, now.AddMinutes(-20).AddMilliseconds(i * 20), 10)).ToList();

        var throughput = LineMetrics.From(burst, now).Throughput;

        var rates = throughput.Rates.ToDictionary(r => r.Window);
        Assert.Equal(0, rates[ThroughputWindows.Short].Images);
        Assert.Equal(0, rates[ThroughputWindows.Short].PerHour);
        Assert.Equal(141, rates[ThroughputWindows.Long].Images);
        Assert.Equal(141, rates[ThroughputWindows.Long].PerHour, 9);
        Assert.All(throughput.Rates, r => Assert.True(r.PerHour <= 141 * 4, $"{r.Label}: {r.PerHour}"));
    }

    [Fact]
    public void Rates_CountOnlyCompletionsInsideEachWindow()
    {
        var now = Classes.At;
        DateTimeOffset[] completed = [now.AddMinutes(-5), now.AddMinutes(-14), now.AddMinutes(-15), now.AddMinutes(-59), now.AddMinutes(-61), now.AddDays(-1)];

        var rates = ThroughputWindows.Rates(completed, now);

        Assert.Equal([2, 4], rates.Select(r => r.Images));
        Assert.Equal([8.0, 4.0], rates.Select(r => r.PerHour));
        Assert.Equal(["last 15 min", "last 1 h"], rates.Select(r => r.Label));
    }

    [Fact]
    public void Rates_NoImages_AreZero()
    {
        var rates = ThroughputWindows.Rates([], Classes.At);

        Assert.All(rates, r => Assert.Equal(0, r.PerHour));
        Assert.Equal(ThroughputWindows.Windows, rates.Select(r => r.Window));
    }
}
