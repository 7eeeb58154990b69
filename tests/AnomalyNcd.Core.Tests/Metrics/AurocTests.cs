using AnomalyNcd.Core.Metrics;

namespace AnomalyNcd.Core.Tests.Metrics;

public class AurocTests
{
    [Fact]
    public void Compute_PositivesAllAbove_IsOne()
    {
        Assert.Equal(1.0, Auroc.Compute([0.1, 0.2, 0.8, 0.9], [false, false, true, true]));
    }

    [Fact]
    public void Compute_PositivesAllBelow_IsZero()
    {
        Assert.Equal(0.0, Auroc.Compute([0.9, 0.8, 0.2, 0.1], [false, false, true, true]));
    }

    [Fact]
    public void Compute_AllScoresTied_IsOneHalf()
    {
        Assert.Equal(0.5, Auroc.Compute([3, 3, 3, 3, 3], [true, false, true, false, false]));
    }

    [Fact]
    public void Compute_HandCaseWithTie_CountsTieAsHalf()
    {
        // Pairs (pos, neg): (0.5 vs 0.1) win, (0.5 vs 0.5) tie, (0.9 vs both) win → (3 + 0.5) / 4.
        Assert.Equal(0.875, Auroc.Compute([0.1, 0.5, 0.5, 0.9], [false, false, true, true]), 12);
    }

    [Fact]
    public void Compute_OneClassOnly_IsNaN()
    {
        Assert.True(double.IsNaN(Auroc.Compute([0.1, 0.2], [true, true])));
    }
}
