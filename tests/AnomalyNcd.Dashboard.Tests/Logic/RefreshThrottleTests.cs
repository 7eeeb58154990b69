using AnomalyNcd.Dashboard.Logic;
using Microsoft.Extensions.Time.Testing;

namespace AnomalyNcd.Dashboard.Tests.Logic;

public sealed class RefreshThrottleTests
{
    [Fact]
    public async Task BurstOfTriggers_RefreshesOnceAtOnceAndOnceAfterTheInterval()
    {
        var runs = 0;
        var clock = new FakeTimeProvider();
        using var throttle = new RefreshThrottle(() =>
        {
            Interlocked.Increment(ref runs);
            return Task.CompletedTask;
        }, TimeSpan.FromMilliseconds(200), clock);

        for (var i = 0; i < 50; i++)
        {
            throttle.Trigger();
        }

        Assert.Equal(1, runs);
        clock.Advance(TimeSpan.FromMilliseconds(600));
        // The first trigger refreshes at once; the other 49 coalesce into one trailing refresh.
        await Eventually.True(() => Volatile.Read(ref runs) >= 2, TimeSpan.FromSeconds(5), "the trailing refresh");
        Assert.Equal(2, runs);
    }

    [Fact]
    public void TriggerAfterQuietPeriod_RefreshesAgain()
    {
        var runs = 0;
        var clock = new FakeTimeProvider();
        using var throttle = new RefreshThrottle(() =>
        {
            Interlocked.Increment(ref runs);
            return Task.CompletedTask;
        }, TimeSpan.FromMilliseconds(50), clock);

        throttle.Trigger();
        clock.Advance(TimeSpan.FromMilliseconds(200));
        throttle.Trigger();

        Assert.Equal(2, runs);
    }
}
