using AnomalyNcd.Core.Training;

namespace AnomalyNcd.Core.Tests.Training;

public class HeadSelectionTests
{
    [Fact]
    public void SelectBest_ExactTie_SelectsAllMinimalHeads()
    {
        Assert.Equal(new[] { 1, 3 }, HeadSelection.SelectBest(new[] { 0.5, 0.25, 0.7, 0.25 }));
    }

    [Fact]
    public void SelectBest_UniqueMinimum_SelectsOneHead()
    {
        Assert.Equal(new[] { 2 }, HeadSelection.SelectBest(new[] { 0.5, 0.25, 0.125, 0.25 }));
    }

    [Fact]
    public void Tracker_UsesOnlyTheLastEpochMeans()
    {
        var tracker = new HeadLossTracker(3);
        tracker.AddBatch(new[] { 0.0, 9.0, 9.0 });
        tracker.StartEpoch();
        tracker.AddBatch(new[] { 1.0, 0.5, 2.0 });
        tracker.AddBatch(new[] { 1.0, 2.5, 0.0 });

        Assert.Equal(new[] { 1.0, 1.5, 1.0 }, tracker.MeanLosses());
        Assert.Equal(new[] { 0, 2 }, tracker.SelectedHeads());
    }

    [Fact]
    public void Tracker_EpochWithoutBatches_ExplainsWhyNoHeadIsSelected()
    {
        var tracker = new HeadLossTracker(4);

        var error = Assert.Throws<InvalidOperationException>(() => tracker.SelectedHeads());
        Assert.Contains("no batch", error.Message);
    }
}
