using AnomalyNcd.Contracts;
using AnomalyNcd.Contracts.Artefacts;
using AnomalyNcd.Contracts.Images;
using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Contracts.Regions;
using AnomalyNcd.Grains.Tests.Support;

namespace AnomalyNcd.Grains.Tests.Lines;

/// <summary>
/// Decisions the line grain must refuse (blank names, a split without regions) and two operators working from stale
/// views: each decision applies to the catalogue as it is then, so neither operator's change is silently lost.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClassDecisionEdgeCaseTests(ClusterFixture fixture)
{
    private static readonly ArtefactRef Png = new(new string('b', 64), "crop", "png", 10);

    private IClusterClient Client => fixture.Client;

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task RenameConfirmOrSplit_WithABlankName_IsInvalidAndChangesNothing(string name)
    {
        var lineId = ClusterFixture.NewLineId("blank");
        var line = await LineSetup.CreateAsync(Client, lineId);
        var image = Result(lineId, "a", "c1", "c1");
        await InitialiseRegionsAsync(image);
        await line.RecordImageAsync(image);

        var rename = await Assert.ThrowsAsync<RequestRejectedException>(() => line.RenameClassAsync("c1", name, "ana"));
        var confirm = await Assert.ThrowsAsync<RequestRejectedException>(() => line.ConfirmClassAsync("c1", name, "ana"));
        var split = await Assert.ThrowsAsync<RequestRejectedException>(() => line.SplitClassAsync("c1", [new(lineId, "a", 0)], name, "ana"));

        Assert.All([rename, confirm, split], e => Assert.Equal(RejectionKind.Invalid, e.Kind));
        var only = Assert.Single(await line.GetClassesAsync());
        Assert.Equal(("c1", null, ClassStatus.Proposed, 2), (only.ClassId, only.Name, only.Status, only.RegionCount));
        Assert.Empty(await line.GetDecisionsAsync(0, 10));
    }

    [Fact]
    public async Task Split_WithNoRegions_IsInvalidAndChangesNothing()
    {
        var lineId = ClusterFixture.NewLineId("nosplit");
        var line = await LineSetup.CreateAsync(Client, lineId);
        await line.RecordImageAsync(Result(lineId, "a", "c1", "c1"));

        var empty = await Assert.ThrowsAsync<RequestRejectedException>(() => line.SplitClassAsync("c1", [], "dent", "ana"));

        Assert.Equal(RejectionKind.Invalid, empty.Kind);
        Assert.Contains("no regions", empty.Detail);
        var only = Assert.Single(await line.GetClassesAsync());
        Assert.Equal(("c1", 2), (only.ClassId, only.RegionCount));
        Assert.Empty(await line.GetDecisionsAsync(0, 10));
    }

    [Fact]
    public async Task TwoOperators_DecidingFromStaleViews_NeitherChangeIsSilentlyLost()
    {
        var lineId = ClusterFixture.NewLineId("stale");
        var line = await LineSetup.CreateAsync(Client, lineId);
        await line.RecordImageAsync(Result(lineId, "a", "c1", "c2"));
        await line.RecordImageAsync(Result(lineId, "b", "c3", "c3"));
        var staleView = await line.GetClassesAsync(); // what both operators loaded

        // Ana renames c1 while Ben, still looking at the old catalogue, merges c3 into c1 and confirms c2.
        await Task.WhenAll(
            line.RenameClassAsync("c1", "dent", "ana"),
            line.MergeClassesAsync("c3", "c1", "ben"),
            line.ConfirmClassAsync("c2", "scratch", "ben"));
        // Ben then renames c1 from his stale view: the audit records that he replaced Ana's name, not a blank one.
        await line.RenameClassAsync("c1", "pit", "ben");
        // And a decision on a class that no longer exists is refused rather than applied somewhere else.
        var gone = await Assert.ThrowsAsync<RequestRejectedException>(() => line.RenameClassAsync("c3", "stain", "ana"));

        Assert.Contains(staleView, c => c.ClassId == "c3");
        Assert.Equal(RejectionKind.NotFound, gone.Kind);
        var classes = (await line.GetClassesAsync()).ToDictionary(c => c.ClassId);
        Assert.Equal(["c1", "c2"], classes.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(("pit", 3), (classes["c1"].Name, classes["c1"].RegionCount)); // Ben's merge kept under the final name
        Assert.Equal(("scratch", ClassStatus.Confirmed), (classes["c2"].Name, classes["c2"].Status));
        var decisions = await line.GetDecisionsAsync(0, 10);
        Assert.Equal(4, decisions.Length);
        Assert.Equal(["ana", "ben", "ben", "ben"], decisions.Select(d => d.User).Order(StringComparer.Ordinal));
        var lastRename = decisions[0];
        Assert.Equal(("rename", "ben"), (lastRename.Action, lastRename.User));
        Assert.Contains("dent", lastRename.Before);
        Assert.Contains("pit", lastRename.After);
    }

    private async Task InitialiseRegionsAsync(ImageResult image)
    {
        foreach (var region in image.Regions)
        {
            await Client.GetGrain<IRegionGrain>(region.Key.GrainKey).InitialiseAsync(region);
        }
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
