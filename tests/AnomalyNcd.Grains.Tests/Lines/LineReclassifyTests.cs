using AnomalyNcd.Contracts;
using AnomalyNcd.Contracts.Artefacts;
using AnomalyNcd.Contracts.Images;
using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Contracts.Regions;
using AnomalyNcd.Grains.Tests.Support;

namespace AnomalyNcd.Grains.Tests.Lines;

/// <summary>
/// Re-classification on the platform: after a promotion the line classifies its images that the promoted model has
/// not labelled yet (what the demo used to do through the grain factory).
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class LineReclassifyTests(ClusterFixture fixture)
{
    private IClusterClient Client => fixture.Client;

    [Fact]
    public async Task Reclassify_AfterPromotion_LabelsTheBinarisedImagesAndLeavesNormalOnesAlone()
    {
        var lineId = ClusterFixture.NewLineId("reclass");
        var line = await LineSetup.CreateAsync(Client, lineId);
        string[] defective = ["a", "b", "c", "d", "e"];
        foreach (var (id, variant) in defective.Select((id, i) => (id, i)))
        {
            await Client.GetGrain<IImageGrain>(GrainKeys.Image(lineId, id)).SubmitAsync(await SyntheticPicture.StoreAsync(fixture.Store, variant: variant));
        }

        await Client.GetGrain<IImageGrain>(GrainKeys.Image(lineId, "ok")).SubmitAsync(await SyntheticPicture.StoreAsync(fixture.Store, withDefects: false));
        await LineSetup.RegisterAndPromoteAsync(line, lineId);

        var run = await line.ReclassifyAsync();
        var again = await line.ReclassifyAsync();

        Assert.Equal(new LineReclassification("v1", 5, 5, 0), run);
        Assert.Equal(new LineReclassification("v1", 5, 5, 0), again); // already labelled: counted, not classified twice
        foreach (var id in defective)
        {
            var result = (await Client.GetGrain<IImageGrain>(GrainKeys.Image(lineId, id)).GetAsync())!;
            Assert.Equal(ImageStatus.Classified, result.Status);
            Assert.All(result.Regions, r => Assert.Equal("v1", r.ModelVersion));
        }

        Assert.Equal(ImageStatus.NoAnomaly, (await Client.GetGrain<IImageGrain>(GrainKeys.Image(lineId, "ok")).GetAsync())!.Status);
        var summary = await line.GetSummaryAsync();
        Assert.Equal(10, summary.Classes.Sum(c => c.RegionCount)); // each image's two regions, counted once
    }

    [Fact]
    public async Task Reclassify_AfterANewPromotion_RelabelsUnderTheNewModel()
    {
        var lineId = ClusterFixture.NewLineId("relabel");
        var line = await LineSetup.CreateAsync(Client, lineId);
        await LineSetup.RegisterAndPromoteAsync(line, lineId, "v1");
        var image = Client.GetGrain<IImageGrain>(GrainKeys.Image(lineId, "a"));
        await image.SubmitAsync(await SyntheticPicture.StoreAsync(fixture.Store));
        await LineSetup.RegisterAndPromoteAsync(line, lineId, "v2");

        var run = await line.ReclassifyAsync();

        Assert.Equal(new LineReclassification("v2", 1, 1, 0), run);
        Assert.All((await image.GetAsync())!.Regions, r => Assert.Equal("v2", r.ModelVersion));
    }

    [Fact]
    public async Task Reclassify_CountsAnImageWithoutAnImageGrainAsFailed()
    {
        var lineId = ClusterFixture.NewLineId("handmade");
        var line = await LineSetup.CreateAsync(Client, lineId);
        var png = new ArtefactRef(new string('b', 64), "crop", "png", 10);
        await line.RecordImageAsync(new ImageResult(
            lineId, "by-hand", ImageStatus.Binarised, png, null, null, 64, 64,
            [new RegionResult(new RegionKey(lineId, "by-hand", 0), new RegionBox(0, 0, 10, 10), 50, 0.9, png, png, null, null, 0.0, null, null)],
            null, null, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, 1.0));
        await LineSetup.RegisterAndPromoteAsync(line, lineId);

        Assert.Equal(new LineReclassification("v1", 1, 0, 1), await line.ReclassifyAsync());
    }

    [Fact]
    public async Task Reclassify_WithoutAPromotedModel_IsNotReady_AndAnUnknownLineIsNotFound()
    {
        var line = await LineSetup.CreateAsync(Client, ClusterFixture.NewLineId("nomodel"));
        await line.RegisterModelAsync(LineSetup.Model((await line.GetSummaryAsync()).LineId));

        var notReady = await Assert.ThrowsAsync<RequestRejectedException>(() => line.ReclassifyAsync());
        var unknown = await Assert.ThrowsAsync<RequestRejectedException>(() => Client.GetGrain<IProductLineGrain>(ClusterFixture.NewLineId("ghost")).ReclassifyAsync());

        Assert.Equal(RejectionKind.NotReady, notReady.Kind);
        Assert.Contains("promoted", notReady.Detail);
        Assert.Equal(RejectionKind.NotFound, unknown.Kind);
    }
}
