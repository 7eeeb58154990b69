using AnomalyNcd.Dashboard.Logic;

namespace AnomalyNcd.Dashboard.Tests.Logic;

public sealed class RefreshThrottleTests
{
    [Fact]
    public async Task BurstOfTriggers_RefreshesOnceAtOnceAndOnceAfterTheInterval()
    {
        var runs = 0;
        using var throttle = new RefreshThrottle(() =>
        {
            Interlocked.Increment(ref runs);
            return Task.CompletedTask;
        }, TimeSpan.FromMilliseconds(200));

        for (var i = 0; i < 50; i++)
        {
            throttle.Trigger();
        }

        Assert.Equal(1, runs);
        await Task.Delay(600);
        // The first trigger refreshes at once; the other 49 coalesce into one trailing refresh.
        Assert.Equal(2, runs);
    }

    [Fact]
    public async Task TriggerAfterQuietPeriod_RefreshesAgain()
    {
        var runs = 0;
        using var throttle = new RefreshThrottle(() =>
        {
            Interlocked.Increment(ref runs);
            return Task.CompletedTask;
        }, TimeSpan.FromMilliseconds(50));

        throttle.Trigger();
        await Task.Delay(200);
        throttle.Trigger();
        await Task.Delay(200);

        Assert.Equal(2, runs);
    }
}
