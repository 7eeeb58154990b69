using System.Text.Json;
using AnomalyNcd.Contracts;
using AnomalyNcd.Contracts.Artefacts;
using AnomalyNcd.Contracts.Images;
using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Contracts.Regions;
using AnomalyNcd.Grains.Tests.Support;

namespace AnomalyNcd.Grains.Tests.Lines;

[Collection(ClusterCollection.Name)]
public sealed class ProductLineGrainTests(ClusterFixture fixture)
{
    private static readonly ArtefactRef Png = new(new string('b', 64), "crop", "png", 10);

    private IClusterClient Client => fixture.Client;

    [Fact]
    public async Task Create_IsIdempotentListedAndRefusesOtherSettings()
    {
        var lineId = ClusterFixture.NewLineId("create");
        var line = await LineSetup.CreateAsync(Client, lineId);

        var again = await line.CreateAsync(LineSetup.Calibrated);
        var error = await Assert.ThrowsAsync<RequestRejectedException>(() => line.CreateAsync(LineSetup.Calibrated with { ClassCount = 3 }));

        Assert.Equal(lineId, again.LineId);
        Assert.Equal(RejectionKind.Conflict, error.Kind);
        Assert.Contains(lineId, await Client.GetGrain<ILineDirectoryGrain>(0).ListAsync());
        Assert.True(await line.ExistsAsync());
    }

    [Fact]
    public async Task Calls_OnAnUncreatedLine_AreNotFound()
    {
        var line = Client.GetGrain<IProductLineGrain>(ClusterFixture.NewLineId("ghost"));

        var error = await Assert.ThrowsAsync<RequestRejectedException>(() => line.GetSummaryAsync());

        Assert.Equal(RejectionKind.NotFound, error.Kind);
        Assert.False(await line.ExistsAsync());
    }

    [Fact]
    public async Task RecordImage_Twice_ReplacesItsContributionAndListsNewestFirst()
    {
        var lineId = ClusterFixture.NewLineId("count");
        var line = await LineSetup.CreateAsync(Client, lineId);

        await line.RecordImageAsync(Result(lineId, "a", ("c1", 0.5), ("c1", 0.9)));
        await line.RecordImageAsync(Result(lineId, "b"));
        await line.RecordImageAsync(Result(lineId, "c", ("c2", 0.8)));
        await line.RecordImageAsync(Result(lineId, "a", ("c1", 0.6), ("c2", 0.7)));

        var summary = await line.GetSummaryAsync();
        Assert.Equal((3, 2, 3), (summary.ImageCount, summary.AnomalousImageCount, summary.RegionCount));
        var classes = summary.Classes.ToDictionary(c => c.ClassId);
        Assert.Equal((1, 1), (classes["c1"].RegionCount, classes["c1"].ImageCount));
        Assert.Equal((2, 2), (classes["c2"].RegionCount, classes["c2"].ImageCount));
        Assert.Equal([new RegionKey(lineId, "c", 0), new RegionKey(lineId, "a", 1)], classes["c2"].Representatives);
        Assert.Equal(["c", "b", "a"], await line.ListImagesAsync(0, 10));
        Assert.Equal(["b"], await line.ListImagesAsync(1, 1));
    }

    [Fact]
    public async Task Representatives_AreTheEightMostConfidentRegions()
    {
        var lineId = ClusterFixture.NewLineId("reps");
        var line = await LineSetup.CreateAsync(Client, lineId);

        await line.RecordImageAsync(Result(lineId, "img", [.. Enumerable.Range(0, 12).Select(i => ("c1", i / 20.0))]));

        var reps = (await line.GetClassesAsync()).Single().Representatives;
        Assert.Equal(AnomalyNcd.Grains.Lines.ProductLineGrain.MaxRepresentatives, reps.Length);
        Assert.Equal(Enumerable.Range(4, 8).Reverse(), reps.Select(r => r.Index));
    }

    [Fact]
    public async Task RenameOrConfirm_ToATakenName_IsConflict()
    {
        var lineId = ClusterFixture.NewLineId("names");
        var line = await LineSetup.CreateAsync(Client, lineId);
        await line.RecordImageAsync(Result(lineId, "img", ("c1", 0.9), ("c2", 0.9)));
        await line.ConfirmClassAsync("c1", "scratch", "ana");

        var rename = await Assert.ThrowsAsync<RequestRejectedException>(() => line.RenameClassAsync("c2", "Scratch", "ben"));
        var confirm = await Assert.ThrowsAsync<RequestRejectedException>(() => line.ConfirmClassAsync("c2", "scratch ", "ben"));
        var renamedSelf = await line.RenameClassAsync("c1", "Scratch", "ana");
        var unknown = await Assert.ThrowsAsync<RequestRejectedException>(() => line.RenameClassAsync("nope", "dent", "ana"));

        Assert.Equal(RejectionKind.Conflict, rename.Kind);
        Assert.Equal(RejectionKind.Conflict, confirm.Kind);
        Assert.Equal(RejectionKind.NotFound, unknown.Kind);
        Assert.Equal(("Scratch", ClassStatus.Confirmed), (renamedSelf.Name, renamedSelf.Status));
        Assert.Null((await line.GetClassesAsync()).Single(c => c.ClassId == "c2").Name);
    }

    [Fact]
    public async Task Merge_MovesCountsToTheTargetTellsTheMovedRegionsAndLaterPredictionsFollow()
    {
        var lineId = ClusterFixture.NewLineId("merge");
        var line = await LineSetup.CreateAsync(Client, lineId);
        var a = Result(lineId, "a", ("c1", 0.9), ("c2", 0.8));
        foreach (var region in a.Regions)
        {
            await Client.GetGrain<IRegionGrain>(region.Key.GrainKey).InitialiseAsync(region);
        }

        await line.RecordImageAsync(a);
        await line.RecordImageAsync(Result(lineId, "b", ("c1", 0.7)));
        await line.RecordImageAsync(Result(lineId, "c", ("c2", 0.6), ("c2", 0.5)));

        var merged = await line.MergeClassesAsync("c1", "c2", "ana");
        var movedRegion = (await Client.GetGrain<IRegionGrain>(GrainKeys.Region(lineId, "a", 0)).GetAsync())!;
        Assert.Equal(("c2", "merge", "ana"), (movedRegion.ClassId, movedRegion.Decision!.Action, movedRegion.Decision.User));
        Assert.Null((await Client.GetGrain<IRegionGrain>(GrainKeys.Region(lineId, "a", 1)).GetAsync())!.Decision);
        await line.RecordImageAsync(Result(lineId, "d", ("c1", 0.95)));

        Assert.Equal((5, 3), (merged.RegionCount, merged.ImageCount));
        var classes = await line.GetClassesAsync();
        var only = Assert.Single(classes);
        Assert.Equal(("c2", 6, 4), (only.ClassId, only.RegionCount, only.ImageCount));
        Assert.Equal(new RegionKey(lineId, "d", 0), only.Representatives[0]);
        Assert.Equal(["c1"], await line.GetRetiredClassIdsAsync());
        var self = await Assert.ThrowsAsync<RequestRejectedException>(() => line.MergeClassesAsync("c2", "c2", "ana"));
        Assert.Equal(RejectionKind.Invalid, self.Kind);
    }

    [Fact]
    public async Task Split_MovesTheGivenRegionsToANewClassAndTellsTheirGrains()
    {
        var lineId = ClusterFixture.NewLineId("split");
        var line = await LineSetup.CreateAsync(Client, lineId);
        var a = Result(lineId, "a", ("c1", 0.9), ("c1", 0.8));
        var b = Result(lineId, "b", ("c1", 0.7));
        foreach (var region in a.Regions.Concat(b.Regions))
        {
            await Client.GetGrain<IRegionGrain>(region.Key.GrainKey).InitialiseAsync(region);
        }

        await line.RecordImageAsync(a);
        await line.RecordImageAsync(b);
        RegionKey[] moving = [new(lineId, "a", 1), new(lineId, "b", 0)];

        var created = await line.SplitClassAsync("c1", moving, "dent", "ana");

        Assert.Equal(("dent", ClassStatus.Confirmed, 2, 2), (created.Name, created.Status, created.RegionCount, created.ImageCount));
        var source = (await line.GetClassesAsync()).Single(c => c.ClassId == "c1");
        Assert.Equal((1, 1), (source.RegionCount, source.ImageCount));
        foreach (var key in moving)
        {
            var region = (await Client.GetGrain<IRegionGrain>(key.GrainKey).GetAsync())!;
            Assert.Equal(created.ClassId, region.ClassId);
            Assert.Equal(("split", "ana"), (region.Decision!.Action, region.Decision.User));
        }

        Assert.Equal("c1", (await Client.GetGrain<IRegionGrain>(GrainKeys.Region(lineId, "a", 0)).GetAsync())!.ClassId);
        var wrong = await Assert.ThrowsAsync<RequestRejectedException>(() => line.SplitClassAsync("c1", [new(lineId, "b", 0)], null, "ana"));
        Assert.Equal(RejectionKind.Invalid, wrong.Kind);
    }

    [Fact]
    public async Task Decisions_AreLoggedNewestFirstWithUserAndBeforeAfter()
    {
        var lineId = ClusterFixture.NewLineId("audit");
        var line = await LineSetup.CreateAsync(Client, lineId);
        await line.RecordImageAsync(Result(lineId, "a", ("c1", 0.9), ("c2", 0.8), ("c3", 0.7)));

        await line.ConfirmClassAsync("c1", "scratch", "ana");
        await line.RenameClassAsync("c1", "long scratch", "ben");
        await line.MergeClassesAsync("c2", "c1", "ana");
        await line.RejectClassAsync("c3", "cy");

        var decisions = await line.GetDecisionsAsync(0, 10);
        Assert.Equal(["reject", "merge", "rename", "confirm"], decisions.Select(d => d.Action));
        Assert.Equal(["cy", "ana", "ben", "ana"], decisions.Select(d => d.User));
        Assert.All(decisions, d => Assert.Equal(lineId, d.LineId));
        Assert.True(decisions[0].At >= decisions[^1].At);
        var rename = decisions[2];
        Assert.Equal("scratch", JsonDocument.Parse(rename.Before).RootElement[0].GetProperty("Name").GetString());
        Assert.Equal("long scratch", JsonDocument.Parse(rename.After).RootElement[0].GetProperty("Name").GetString());
        Assert.Equal(2, JsonDocument.Parse(decisions[1].After).RootElement[0].GetProperty("RegionCount").GetInt32());
        Assert.Equal(["merge"], (await line.GetDecisionsAsync(1, 1)).Select(d => d.Action));
        Assert.Equal(ClassStatus.Rejected, (await line.GetClassesAsync()).Single(c => c.ClassId == "c3").Status);
    }

    [Fact]
    public async Task RegisterModel_ClassesBecomeProposedUnlessTheyMapToConfirmedOnes()
    {
        var lineId = ClusterFixture.NewLineId("models");
        var line = await LineSetup.CreateAsync(Client, lineId);
        await line.RecordImageAsync(Result(lineId, "a", (FakeInferenceGrain.Large, 0.9)));
        await line.ConfirmClassAsync(FakeInferenceGrain.Large, "blob", "ana");

        await line.RegisterModelAsync(LineSetup.Model(lineId));

        var classes = (await line.GetClassesAsync()).ToDictionary(c => c.ClassId);
        Assert.Equal(ClassStatus.Confirmed, classes[FakeInferenceGrain.Large].Status);
        Assert.Equal("blob", classes[FakeInferenceGrain.Large].Name);
        Assert.Equal(ClassStatus.Proposed, classes[FakeInferenceGrain.Small].Status);
        Assert.Null(await line.GetPromotedModelAsync());
        var unknown = await Assert.ThrowsAsync<RequestRejectedException>(() => line.PromoteAsync("v9", "ana"));
        Assert.Equal(RejectionKind.NotFound, unknown.Kind);
        var promoted = await line.PromoteAsync("v1", "ana");
        Assert.Equal(("v1", "ana"), (promoted.Version, promoted.PromotedBy));
        Assert.Equal("v1", (await line.GetSummaryAsync()).PromotedModel!.Version);
    }

    private static ImageResult Result(string lineId, string imageId, params (string ClassId, double Confidence)[] regions) => new(
        lineId,
        imageId,
        regions.Length == 0 ? ImageStatus.NoAnomaly : ImageStatus.Classified,
        Png,
        null,
        null,
        64,
        64,
        [.. regions.Select((r, i) => new RegionResult(new RegionKey(lineId, imageId, i), new RegionBox(0, 0, 10, 10), 50, 0.9, Png, Png, null, r.ClassId, r.Confidence, "v1", null))],
        null,
        null,
        DateTimeOffset.UtcNow,
        DateTimeOffset.UtcNow,
        1.0);
}
