using AnomalyNcd.Contracts;
using AnomalyNcd.Contracts.Artefacts;
using AnomalyNcd.Contracts.Images;
using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Contracts.Regions;
using AnomalyNcd.Grains.Lines;
using AnomalyNcd.Grains.Tests.Support;

namespace AnomalyNcd.Grains.Tests.Lines;

/// <summary>Review-queue decisions on single regions: the rule without a cluster, then the line grain auditing them.</summary>
[Collection(ClusterCollection.Name)]
public sealed class RegionDecisionsTests(ClusterFixture fixture)
{
    private static readonly ArtefactRef Png = new(new string('d', 64), "crop", "png", 10);
    private static readonly DateTimeOffset At = new(2026, 12, 4, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Rule_RefusesNoRegionsForeignRegionsNoActionAndClosedClasses()
    {
        var line = new ProductLineState();
        line.Classes["c1"] = new CatalogueEntry { ClassId = "c1", Status = ClassStatus.Proposed };
        line.Classes["c9"] = new CatalogueEntry { ClassId = "c9", Status = ClassStatus.Rejected };
        RegionKey[] ours = [new("l1", "a", 0)];
        var reject = new OperatorDecision("reject-region", null, "olga", At);

        Assert.Contains("1–", RegionDecisionAudit.Problem(line, "l1", [], reject));
        Assert.Contains("belongs to line l2", RegionDecisionAudit.Problem(line, "l1", [new("l2", "a", 0)], reject));
        Assert.Contains("action", RegionDecisionAudit.Problem(line, "l1", ours, reject with { Action = " " }));
        Assert.Contains("class c9", RegionDecisionAudit.Problem(line, "l1", ours, reject with { Action = "assign-region", ClassId = "c9" }));
        Assert.Contains("class c7", RegionDecisionAudit.Problem(line, "l1", ours, reject with { Action = "assign-region", ClassId = "c7" }));
        Assert.Null(RegionDecisionAudit.Problem(line, "l1", ours, reject));
        Assert.Null(RegionDecisionAudit.Problem(line, "l1", ours, reject with { Action = "assign-region", ClassId = "c1" }));
    }

    [Fact]
    public void Describe_KeepsTheRegionKeysBeforeAndTheClassAfter()
    {
        var line = new ProductLineState();
        line.Classes["c1"] = new CatalogueEntry { ClassId = "c1", Status = ClassStatus.Confirmed };

        var (before, after) = RegionDecisionAudit.Describe(line, "l1", [new("l1", "a", 0), new("l1", "b", 2)], new OperatorDecision("assign-region", "c1", "olga", At));

        Assert.Equal($"[\"{GrainKeys.Region("l1", "a", 0)}\",\"{GrainKeys.Region("l1", "b", 2)}\"]", before);
        Assert.Equal("c1", after);
    }

    [Fact]
    public async Task Grain_AuditsTheDecision_AndEachRegionGrainStoresIt()
    {
        var lineId = ClusterFixture.NewLineId("regiondecide");
        var line = await LineSetup.CreateAsync(fixture.Client, lineId);
        var regions = new[] { Region(lineId, "a", 0, "c1"), Region(lineId, "a", 1, "c1") };
        await line.RecordImageAsync(Image(lineId, "a", regions));
        foreach (var region in regions)
        {
            await fixture.Client.GetGrain<IRegionGrain>(region.Key.GrainKey).InitialiseAsync(region);
        }

        var decided = await line.DecideRegionsAsync([.. regions.Select(r => r.Key)], new OperatorDecision("reject-region", null, "olga", At));

        Assert.All(decided, r => Assert.Equal(("reject-region", (string?)null), (r.Decision!.Action, r.ClassId)));
        var audit = Assert.Single(await line.GetDecisionsAsync(0, 10));
        Assert.Equal(("reject-region", "olga", string.Empty), (audit.Action, audit.User, audit.After));
        Assert.Contains(regions[1].Key.GrainKey, audit.Before);
        Assert.Null((await fixture.Client.GetGrain<IRegionGrain>(regions[0].Key.GrainKey).GetAsync())!.ClassId);
    }

    [Fact]
    public async Task Grain_RegionWithoutAGrain_IsNotFound_AndNothingIsAudited()
    {
        var lineId = ClusterFixture.NewLineId("regionmissing");
        var line = await LineSetup.CreateAsync(fixture.Client, lineId);
        await line.RecordImageAsync(Image(lineId, "a", [Region(lineId, "a", 0, "c1")])); // recorded by hand: no region grain

        var missing = await Assert.ThrowsAsync<RequestRejectedException>(
            () => line.DecideRegionsAsync([new RegionKey(lineId, "a", 0)], new OperatorDecision("keep-region", "c1", "olga", At)));

        Assert.Equal(RejectionKind.NotFound, missing.Kind);
        Assert.Empty(await line.GetDecisionsAsync(0, 10));
    }

    private static RegionResult Region(string lineId, string imageId, int index, string classId) =>
        new(new RegionKey(lineId, imageId, index), new RegionBox(index, 0, index + 10, 10), 50, 0.9, Png, Png, null, classId, 0.9, "v1", null);

    private static ImageResult Image(string lineId, string imageId, RegionResult[] regions) =>
        new(lineId, imageId, ImageStatus.Classified, Png, null, null, 64, 64, regions, null, null, At, At, 1.0);
}
