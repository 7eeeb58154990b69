using AnomalyNcd.Core.Binarization;
using AnomalyNcd.Core.Discovery;

namespace AnomalyNcd.Core.Tests.Discovery;

public class DiscoveryOptionsTests
{
    [Fact]
    public void EffectiveRegionRule_MapsGiven_KeepsTheReferenceMebin() =>
        Assert.Equal(RegionRule.StableCount, new DiscoveryOptions { MapsFolder = "maps" }.EffectiveRegionRule);

    [Fact]
    public void EffectiveRegionRule_RawImagesThroughADetector_PersistentPeaks() =>
        Assert.Equal(RegionRule.PersistentPeaks, new DiscoveryOptions { DetectorFolder = "det" }.EffectiveRegionRule);

    [Theory]
    [InlineData(RegionRule.StableCount)]
    [InlineData(RegionRule.PersistentPeaks)]
    public void EffectiveRegionRule_Given_IsKeptOnEitherPath(RegionRule rule)
    {
        Assert.Equal(rule, new DiscoveryOptions { DetectorFolder = "det", RegionRule = rule }.EffectiveRegionRule);
        Assert.Equal(rule, new DiscoveryOptions { MapsFolder = "maps", RegionRule = rule }.EffectiveRegionRule);
    }
}
