using AnomalyNcd.Core.Common;

namespace AnomalyNcd.Core.Tests.Common;

public class MaximumTests
{
    [Fact]
    public void IndexOf_TakesTheFirstOfEqualLargestValues()
    {
        Assert.Equal(1, Maximum.IndexOf<double>([0.1, 0.4, 0.4, 0.1]));
        Assert.Equal(0, Maximum.IndexOf<double>([0.9]));
        Assert.Equal(1, Maximum.IndexOf<double>(new[] { 0.5, 0.2, 0.3, 0.7 }.AsSpan(2)));
    }

    [Fact]
    public void IndexOf_FloatsWithTheLargestLast_FindsIt()
    {
        Assert.Equal(3, Maximum.IndexOf<float>([-1f, -0.5f, 2f, 2.5f]));
    }
}
