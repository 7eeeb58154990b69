using AnomalyNcd.Contracts;
using AnomalyNcd.Contracts.Inference;
using AnomalyNcd.Contracts.Training;
using AnomalyNcd.Grains.Tests.Training;

namespace AnomalyNcd.Grains.Tests.Inference;

/// <summary>
/// After operators confirmed a class and the line was retrained, the model's base head is that class: online
/// inference must be able to assign it (all-class scope), under the catalogue's class id, not a head index.
/// </summary>
[Collection("training-cluster")]
public sealed class BaseClassInferenceTests : IAsyncLifetime
{
    private const string LineId = "line-base";
    private TrainingCluster cluster = null!;

    public async Task InitializeAsync() => cluster = await TrainingCluster.StartAsync(1, TimeSpan.Zero);

    public async Task DisposeAsync() => await cluster.DisposeAsync();

    [Fact]
    public async Task Classify_ModelWithConfirmedClass_AssignsScratchesToTheConfirmedClassId()
    {
        // Every scratch belongs to the confirmed class "cat-1" ("scratch"); the spots are left for discovery.
        await cluster.World.AddLineAsync(LineId, imagesPerKind: 16, confirmedScratches: 16, seed: 5);
        await cluster.Client.GetGrain<ITrainingGrain>(LineId).StartAsync(new TrainingRequest(ClassCount: 2, Epochs: 10, Seed: 2, RequestedBy: "test"));
        var final = (await cluster.WaitAsync(LineId, s => s.State != TrainingState.Running, TimeSpan.FromSeconds(300)))[^1];
        Assert.True(final.State == TrainingState.Completed, final.Message);
        var model = cluster.World.Models[LineId].Single();
        var images = cluster.World.Images[LineId];
        var scratches = images.Where(i => i.GroundTruthClass == "scratch").SelectMany(i => i.Regions).Select(r => new CropToClassify(r.Key, r.Crop, r.CropMask, r.Area)).ToArray();
        var spots = images.Where(i => i.GroundTruthClass == "spot").SelectMany(i => i.Regions).Select(r => new CropToClassify(r.Key, r.Crop, r.CropMask, r.Area)).ToArray();
        var grain = cluster.Client.GetGrain<IInferenceGrain>($"{LineId}/{model.Version}/0");

        var scratchPredictions = await grain.ClassifyAsync(model, scratches);
        var spotPredictions = await grain.ClassifyAsync(model, spots);

        var baseClass = Assert.Single(model.Classes, c => c.IsBase);
        Assert.Equal(("cat-1", "scratch", 0), (baseClass.ClassId, baseClass.Name, baseClass.HeadIndex));
        var novelIds = model.Classes.Where(c => !c.IsBase).Select(c => c.ClassId).ToHashSet();
        // Scratches (the confirmed kind) get the confirmed class id with a real probability; spots discovered ones.
        var toConfirmed = scratchPredictions.Count(p => p.ClassId == "cat-1");
        Assert.True(toConfirmed * 2 > scratches.Length, $"{toConfirmed} of {scratches.Length} scratches were assigned the confirmed class");
        Assert.All(scratchPredictions, p =>
        {
            Assert.Equal(1.0, p.Probabilities.Values.Sum(), 6);
            Assert.Equal(p.Probabilities[p.ClassId], p.Confidence, 9);
            Assert.True(p.ClassId == "cat-1" || novelIds.Contains(p.ClassId), p.ClassId);
        });
        Assert.True(spotPredictions.Count(p => novelIds.Contains(p.ClassId)) * 2 > spots.Length, "most spots should stay in discovered classes");
    }
}
