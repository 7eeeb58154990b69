using AnomalyNcd.Contracts;
using AnomalyNcd.Contracts.Artefacts;
using AnomalyNcd.Contracts.Regions;
using AnomalyNcd.Grains.Tests.Support;

namespace AnomalyNcd.Grains.Tests.Regions;

[Collection(ClusterCollection.Name)]
public sealed class RegionGrainTests(ClusterFixture fixture)
{
    private static readonly ArtefactRef Png = new(new string('c', 64), "crop", "png", 10);

    [Fact]
    public async Task Initialise_SameContentTwice_IsIdempotentOtherContentConflicts()
    {
        var region = Region(ClusterFixture.NewLineId("region"));
        var grain = fixture.Client.GetGrain<IRegionGrain>(region.Key.GrainKey);

        await grain.InitialiseAsync(region);
        await grain.InitialiseAsync(region);
        var error = await Assert.ThrowsAsync<RequestRejectedException>(() => grain.InitialiseAsync(region with { Area = 99 }));

        Assert.Equal(RejectionKind.Conflict, error.Kind);
        Assert.Equal(region, await grain.GetAsync());
    }

    [Fact]
    public async Task Decide_OverridesLaterModelAssignments()
    {
        var region = Region(ClusterFixture.NewLineId("decide"));
        var grain = fixture.Client.GetGrain<IRegionGrain>(region.Key.GrainKey);
        await grain.InitialiseAsync(region);
        await grain.AssignAsync("c1", 0.6, "v1");

        await grain.DecideAsync(new OperatorDecision("move", "c7", "ana", DateTimeOffset.UtcNow));
        var after = await grain.AssignAsync("c1", 0.8, "v2");

        Assert.Equal(("c7", 0.8, "v2"), (after.ClassId, after.Confidence, after.ModelVersion));
        Assert.Equal("ana", after.Decision!.User);
    }

    [Fact]
    public async Task Assign_BeforeInitialise_IsNotFound()
    {
        var grain = fixture.Client.GetGrain<IRegionGrain>(GrainKeys.Region(ClusterFixture.NewLineId("none"), "img", 0));

        var error = await Assert.ThrowsAsync<RequestRejectedException>(() => grain.AssignAsync("c1", 0.5, "v1"));

        Assert.Equal(RejectionKind.NotFound, error.Kind);
    }

    private static RegionResult Region(string lineId) =>
        new(new RegionKey(lineId, "img", 0), new RegionBox(1, 2, 33, 34), 120, 0.9, Png, Png, null, null, 0, null, null);
}
