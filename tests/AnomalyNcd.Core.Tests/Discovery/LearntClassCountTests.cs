using AnomalyNcd.Analytics.Clustering;
using AnomalyNcd.Core.Discovery;
using AnomalyNcd.Core.Model;
using AnomalyNcd.Core.Tests.Training;
using AnomalyNcd.Core.Training;
using AnomalyNcd.Testing;
using static TorchSharp.torch;

namespace AnomalyNcd.Core.Tests.Discovery;

/// <summary>The class count estimated on the CLS features trained at the widest count, and the network rebuilt at the estimate.</summary>
[Collection(TorchGlobalRandomCollection.Name)]
public class LearntClassCountTests
{
    private static DiscoveryOptions Options(int maxClasses) => new()
    {
        MaxNovelClasses = maxClasses,
        Heads = 2,
        Encoder = new TokenEncoderConfig(8, 16, EmbedDim: 16, Heads: 2, Blocks: 1),
        Training = new NcdTrainingOptions { Epochs = 12, BatchSize = 16, LearningRate = 0.05, Seed = 1 },
    };

    [Fact]
    public void Run_ThreeSeparableKinds_EstimatesThreeAndTheRebuiltNetworkSeparatesThem()
    {
        using var scope = NewDisposeScope();
        var (bank, samples, truth) = NcdTrainerTests.SyntheticBank(perClass: 24, novelClasses: 3, baseClasses: 0, seed: 5);
        using var folder = TestData.NewTempFolder();

        var (training, estimate) = LearntClassCount.Run(bank, samples, [], Options(maxClasses: 6), maxClasses: 6, folder.Path, progress: null, CancellationToken.None);
        using (training)
        {
            Assert.Equal(3, estimate.Classes);
            Assert.Equal(Enumerable.Range(2, 5), estimate.SilhouetteByK.Keys.Order());
            Assert.Equal(3, training.Network.ClassCount);
            var metadata = TrainingCheckpoint.ReadMetadata(folder.Path);
            Assert.Equal(3, metadata.NovelClasses.Count);
            Assert.Equal(12, metadata.History.Count); // the widest network's epochs, none after the rebuild

            var probabilities = NcdTrainer.PredictProbabilities(training.Network, bank, samples.UnlabelledIndices(), 0)[training.SelectedHead];
            var predicted = probabilities.Select(p => Array.IndexOf(p, p.Max())).ToArray();
            var metrics = ClusteringEvaluator.Evaluate(truth, predicted);
            Assert.True(metrics.F1 > 0.9, $"matched accuracy {metrics.F1:0.000}");
        }
    }

    [Fact]
    public void Rehead_KeepsTheEncoderAndTheBaseClassDirections()
    {
        using var scope = NewDisposeScope();
        var (bank, samples, _) = NcdTrainerTests.SyntheticBank(perClass: 12, novelClasses: 2, baseClasses: 2, seed: 6);
        var options = Options(maxClasses: 4) with { Training = Options(4).Training with { Epochs = 2 } };
        using var folder = TestData.NewTempFolder();
        using var widest = DiscoveryTraining.Run(
            bank, null, TrainingCheckpoint.ResNet18Backbone, samples, ["b0", "b1"], DiscoverySteps.ClassNames(4), options, folder.Path, null, null, null, CancellationToken.None);

        var crops = samples.UnlabelledIndices();
        var widestFeatures = KMeansHeadInitialiser.UnitFeatures(widest.Network, bank, crops, 8);
        using var rebuilt = DiscoveryTraining.Rehead(widest, bank, samples, ["b0", "b1"], DiscoverySteps.ClassNames(2), options, folder.Path, widestFeatures);

        // Rehead reuses the widest network's features for its k-means: valid only because they are the rebuilt one's too.
        Assert.Equal(widestFeatures, KMeansHeadInitialiser.UnitFeatures(rebuilt.Network, bank, crops, 8));
        for (var h = 0; h < options.Heads; h++)
        {
            var before = widest.Network.Heads.Head(h).Directions.detach();
            var after = rebuilt.Network.Heads.Head(h).Directions.detach();
            Assert.Equal(4, after.shape[0]);
            Assert.True(after[..2].allclose(before[..2], rtol: 0, atol: 0));
        }

        var reloaded = TrainingCheckpoint.ReadMetadata(folder.Path);
        Assert.Equal(["b0", "b1"], reloaded.BaseClasses);
        Assert.Equal(2, reloaded.NovelClasses.Count);
    }
}
