using AnomalyNcd.Core.Training;

namespace AnomalyNcd.Core.Tests.Training;

public class PseudoLabelCorrectionTests
{
    [Theory]
    [InlineData(0.0, 0.5)]
    [InlineData(0.2, 0.3)]
    [InlineData(0.5, 0.0)]
    [InlineData(0.9, 0.0)]
    public void Weight_IsThresholdMinusScoreClampedAtZero(double score, double expected)
    {
        Assert.Equal(expected, PseudoLabelCorrection.Weight(score), 12);
    }

    [Fact]
    public void Weight_DisabledThreshold_IsZeroEvenForLowScores()
    {
        Assert.Equal(0.0, PseudoLabelCorrection.Weight(0.0, PseudoLabelCorrection.Disabled));
    }
}
