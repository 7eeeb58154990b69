using AnomalyNcd.Cli.Bench;

namespace AnomalyNcd.Cli.Tests.Bench;

public sealed class BenchJitSettleTests
{
    [Theory]
    [InlineData(0, 3000, true)]
    [InlineData(30, 3000, true)]
    [InlineData(31, 3000, false)]
    [InlineData(400, 3000, false)]
    [InlineData(0, 0, false)]
    public void JitSettle_IsSettledAtOnePercentOfTheSlice(int jitMilliseconds, int sliceMilliseconds, bool settled) =>
        Assert.Equal(settled, BenchJitSettle.IsSettled(TimeSpan.FromMilliseconds(jitMilliseconds), TimeSpan.FromMilliseconds(sliceMilliseconds)));
}
