using AnomalyNcd.Core.Binarization;
using AnomalyNcd.Core.Discovery;
using AnomalyNcd.Core.Extraction;
using AnomalyNcd.Core.Training;

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

    [Fact]
    public void EffectiveTokenContrast_MasksOrMapsGiven_IsOff()
    {
        Assert.Equal(0, new DiscoveryOptions().EffectiveTokenContrast);
        Assert.Equal(0, new DiscoveryOptions { MapsFolder = "maps" }.EffectiveTokenContrast);
    }

    [Fact]
    public void EffectiveTokenContrast_RawImagesThroughADetector_IsTheDetectorDefault() =>
        Assert.Equal(TokenContrastDefaults.DetectorMaps, new DiscoveryOptions { DetectorFolder = "det" }.EffectiveTokenContrast);

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    public void EffectiveTokenContrast_Given_IsKeptOnEitherPath(double fraction)
    {
        Assert.Equal(fraction, new DiscoveryOptions { DetectorFolder = "det", TokenContrast = fraction }.EffectiveTokenContrast);
        Assert.Equal(fraction, new DiscoveryOptions { MapsFolder = "maps", TokenContrast = fraction }.EffectiveTokenContrast);
    }

    [Fact]
    public void EffectivePredictionViews_GroundTruthMasks_AveragesAllViews() =>
        Assert.Equal(PredictionViews.All, new DiscoveryOptions().EffectivePredictionViews);

    [Fact]
    public void EffectivePredictionViews_AnyAnomalyMaps_KeepsTheReferenceTestView()
    {
        Assert.Equal(PredictionViews.Test, new DiscoveryOptions { DetectorFolder = "det" }.EffectivePredictionViews);
        Assert.Equal(PredictionViews.Test, new DiscoveryOptions { MapsFolder = "maps" }.EffectivePredictionViews);
        Assert.Equal(PredictionViews.Test, new DiscoveryOptions { Source = RegionSource.AnomalyMaps }.EffectivePredictionViews);
    }

    [Fact]
    public void EffectivePredictionViews_TheVitBackbone_KeepsTheReferenceTestView() =>
        Assert.Equal(PredictionViews.Test, new DiscoveryOptions { Backbone = TrainingCheckpoint.DinoVitB8Backbone }.EffectivePredictionViews);

    [Theory]
    [InlineData(PredictionViews.Test)]
    [InlineData(PredictionViews.All)]
    public void EffectivePredictionViews_Given_IsKeptOnEitherPath(PredictionViews views)
    {
        Assert.Equal(views, new DiscoveryOptions { PredictionViews = views }.EffectivePredictionViews);
        Assert.Equal(views, new DiscoveryOptions { DetectorFolder = "det", PredictionViews = views }.EffectivePredictionViews);
    }
}
