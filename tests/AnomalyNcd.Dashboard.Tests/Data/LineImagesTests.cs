using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Contracts.Training;
using AnomalyNcd.Dashboard.Data;
using AnomalyNcd.Dashboard.Tests.Support;

namespace AnomalyNcd.Dashboard.Tests.Data;

public sealed class LineImagesTests
{
    private static readonly LineSummary Line =
        new("press-7", LineSettings.Empty, 0, 0, 0, [], null, Array.Empty<ModelVersion>(), null);

    [Fact]
    public async Task RecentAsync_ReadsAcrossListBatchesNewestFirstUpToTheLimit()
    {
        // Listed newest first: i1199 … i0000.
        var data = new FakeDashboardData(Line, Enumerable.Range(0, 1200).Reverse().Select(i => Regions.Image($"i{i:D4}", null)).ToArray());

        var all = await data.RecentAsync("press-7", max: 5000);
        var capped = await data.RecentAsync("press-7", max: 700);

        Assert.Equal(1200, all.Count);
        Assert.Equal("i1199", all[0].ImageId);
        Assert.Equal("i0000", all[^1].ImageId);
        Assert.Equal(700, capped.Count);
        Assert.Equal("i0500", capped[^1].ImageId);
    }
}
