using AnomalyNcd.Contracts;
using AnomalyNcd.Contracts.Artefacts;
using AnomalyNcd.Contracts.Images;
using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Contracts.Training;
using AnomalyNcd.Grains.Tests.Support;

namespace AnomalyNcd.Grains.Tests.Images;

/// <summary>A retrained model's base head is a class operators confirmed: new images assigned to it carry its confirmed name.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ConfirmedClassLabelTests(ClusterFixture fixture)
{
    private IClusterClient Client => fixture.Client;

    [Fact]
    public async Task Submit_PromotedModelWithConfirmedBaseClass_LabelCarriesTheConfirmedName()
    {
        var lineId = ClusterFixture.NewLineId("base");
        var line = await LineSetup.CreateAsync(Client, lineId);
        await LineSetup.RegisterAndPromoteAsync(line, lineId);
        await Client.GetGrain<IImageGrain>(GrainKeys.Image(lineId, "first")).SubmitAsync(await SyntheticPicture.StoreAsync(fixture.Store));
        await line.ConfirmClassAsync(FakeInferenceGrain.Large, "Big blob", "olga");

        // The retrained model: head 0 is the confirmed class (base, same id and name), head 1 a discovered one.
        var retrained = LineSetup.Model(lineId, "v2") with
        {
            Checkpoint = new ArtefactRef(new string('b', 64), "checkpoint", "bin", 1),
            Classes = [new ModelClass(0, FakeInferenceGrain.Large, "Big blob", IsBase: true, 1), new ModelClass(1, FakeInferenceGrain.Small, null, IsBase: false, 1)],
        };
        await line.RegisterModelAsync(retrained);
        await line.PromoteAsync("v2", "olga");
        var result = await Client.GetGrain<IImageGrain>(GrainKeys.Image(lineId, "second")).SubmitAsync(await SyntheticPicture.StoreAsync(fixture.Store));

        Assert.Equal(ImageStatus.Classified, result.Status);
        Assert.All(result.Regions, r => Assert.Equal("v2", r.ModelVersion));
        Assert.Equal(FakeInferenceGrain.Large, result.Regions[0].ClassId);
        Assert.NotNull(result.Label);
        Assert.Equal(FakeInferenceGrain.Large, result.Label!.ClassId);
        Assert.Equal("Big blob", result.Label.ClassName);
        var confirmed = Assert.Single(await line.GetClassesAsync(), c => c.ClassId == FakeInferenceGrain.Large);
        Assert.Equal((ClassStatus.Confirmed, "Big blob"), (confirmed.Status, confirmed.Name));
        Assert.Equal(2, confirmed.ImageCount);
    }
}
