using AnomalyNcd.Contracts;
using AnomalyNcd.Contracts.Artefacts;
using AnomalyNcd.Contracts.Images;
using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Contracts.Regions;
using AnomalyNcd.Grains.Tests.Support;

namespace AnomalyNcd.Grains.Tests.Lines;

/// <summary>
/// The line grain applies the contract rules (not looser ones of its own), and a split of regions the line only
/// recorded (no region grain) commits and answers like a merge does.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class LineRuleEnforcementTests(ClusterFixture fixture)
{
    private static readonly ArtefactRef Png = new(new string('b', 64), "crop", "png", 10);

    private IClusterClient Client => fixture.Client;

    [Fact]
    public async Task Settings_ThatBreakAContractRule_AreInvalidInTheGrainToo()
    {
        var line = Client.GetGrain<IProductLineGrain>(ClusterFixture.NewLineId("rules"));

        var oneClass = await Assert.ThrowsAsync<RequestRejectedException>(() => line.CreateAsync(LineSetup.Calibrated with { ClassCount = 1 }));
        var floorAlone = await Assert.ThrowsAsync<RequestRejectedException>(() => line.CreateAsync(new LineSettings(null, null, null, null, null, MebinFloor: 30)));

        Assert.Equal((RejectionKind.Invalid, RejectionKind.Invalid), (oneClass.Kind, floorAlone.Kind));
        Assert.Contains("classCount", oneClass.Detail);
        Assert.Contains("mebinFloor", floorAlone.Detail);
        Assert.False(await line.ExistsAsync());
    }

    [Fact]
    public async Task PagesAndNames_BeyondTheContractLimits_AreInvalid()
    {
        var lineId = ClusterFixture.NewLineId("limits");
        var line = await LineSetup.CreateAsync(Client, lineId);
        await line.RecordImageAsync(Result(lineId, "a", "c1"));

        var page = await Assert.ThrowsAsync<RequestRejectedException>(() => line.ListImagesAsync(0, PageLimits.MaxTake + 1));
        var decisions = await Assert.ThrowsAsync<RequestRejectedException>(() => line.GetDecisionsAsync(0, PageLimits.MaxTake + 1));
        var name = await Assert.ThrowsAsync<RequestRejectedException>(() => line.ConfirmClassAsync("c1", new string('n', DefectClass.MaxNameLength + 1), "ana"));

        Assert.All([page, decisions, name], e => Assert.Equal(RejectionKind.Invalid, e.Kind));
        Assert.Equal(["a"], await line.ListImagesAsync(0, PageLimits.MaxTake));
        Assert.Equal("named", (await line.ConfirmClassAsync("c1", "named", "ana")).Name);
    }

    [Fact]
    public async Task Split_OfRegionsWithoutAGrain_CommitsAndAnswersLikeMerge()
    {
        var lineId = ClusterFixture.NewLineId("nograin");
        var line = await LineSetup.CreateAsync(Client, lineId);
        await line.RecordImageAsync(Result(lineId, "a", "c1", "c1")); // recorded by hand: no image or region grain holds them
        await line.RecordImageAsync(Result(lineId, "b", "c2"));

        var created = await line.SplitClassAsync("c1", [new(lineId, "a", 1)], "dent", "ana");
        var merged = await line.MergeClassesAsync("c2", "c1", "ana");

        Assert.Equal(("dent", 1), (created.Name, created.RegionCount));
        Assert.Equal(2, merged.RegionCount);
        Assert.Equal(["merge", "split"], (await line.GetDecisionsAsync(0, 10)).Select(d => d.Action));
    }

    private static ImageResult Result(string lineId, string imageId, params string[] classIds) => new(
        lineId,
        imageId,
        ImageStatus.Classified,
        Png,
        null,
        null,
        64,
        64,
        [.. classIds.Select((c, i) => new RegionResult(new RegionKey(lineId, imageId, i), new RegionBox(0, 0, 10, 10), 50, 0.9, Png, Png, null, c, 0.9, "v1", null))],
        null,
        null,
        DateTimeOffset.UtcNow,
        DateTimeOffset.UtcNow,
        1.0);
}
