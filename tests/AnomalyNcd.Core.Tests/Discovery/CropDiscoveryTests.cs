using AnomalyNcd.Core.Discovery;
using AnomalyNcd.Core.Inference;
using AnomalyNcd.Core.Tests.Inference;
using AnomalyNcd.Core.Training;

namespace AnomalyNcd.Core.Tests.Discovery;

/// <summary>Trains on TorchSharp's process-wide generator, and one test compares two trainings bit for bit: run alone.</summary>
[Collection(Training.TorchGlobalRandomCollection.Name)]
public class CropDiscoveryTests
{
    [Fact]
    public void Train_CropFiles_CheckpointsEveryEpochAssignsEveryCropAndScoresAgainstTruth()
    {
        using var temp = TestData.NewTempFolder();
        var (manifest, kinds) = TinySyntheticCrops.WriteData(temp.Path, images: 20, seed: 8);
        var crops = TinySyntheticCrops.Extract(manifest, temp.Path);
        var epochs = new List<int>();

        var result = CropDiscovery.Train(crops, new CropDiscoveryOptions(TinySyntheticCrops.Quick with { NovelClasses = kinds }, temp.Combine("model"), Resume: false), onCheckpoint: c => epochs.Add(c.Epoch));

        Assert.Equal([0, 1, 2], epochs);
        Assert.Equal(0, result.StartEpoch);
        Assert.Equal(2, TrainingCheckpoint.ReadMetadata(result.CheckpointFolder).Epoch);
        Assert.Equal(crops.Count, result.Assignments.Count);
        Assert.All(result.Assignments, a => Assert.InRange(a.ClassIndex, 0, kinds - 1));
        Assert.NotNull(result.Metrics);
        Assert.Equal(crops.Count(c => c.TruthLabel is not null), result.Metrics!.N);

        // The classifier reproduces the training run's own assignments from the checkpoint alone.
        using var classifier = CropClassifier.Load(result.CheckpointFolder);
        Assert.Equal(result.SelectedHead, classifier.SelectedHead);
        var classified = classifier.ClassifyFiles([.. crops.Select(c => (c.CropPath, c.MaskPath))]);
        Assert.Equal(result.Assignments.Select(a => a.ClassIndex), classified.Select(c => c.ClassIndex));
    }

    [Fact]
    public void Train_CancelledAfterAnEpochThenResumed_ContinuesFromTheCheckpoint()
    {
        using var temp = TestData.NewTempFolder();
        var (manifest, kinds) = TinySyntheticCrops.WriteData(temp.Path, images: 16, seed: 9);
        var crops = TinySyntheticCrops.Extract(manifest, temp.Path);
        var options = new CropDiscoveryOptions(TinySyntheticCrops.Quick with { NovelClasses = kinds }, temp.Combine("model"), Resume: true);
        using var cancel = new CancellationTokenSource();

        Assert.ThrowsAny<OperationCanceledException>(() => CropDiscovery.Train(crops, options, onCheckpoint: c =>
        {
            if (c.Epoch == 0)
            {
                cancel.Cancel();
            }
        }, cancellationToken: cancel.Token));
        Assert.Equal(0, TrainingCheckpoint.ReadMetadata(options.CheckpointFolder).Epoch);

        var resumed = new List<TrainingCheckpoint>();
        var result = CropDiscovery.Train(crops, options, onCheckpoint: resumed.Add);

        Assert.Equal(1, result.StartEpoch);
        Assert.Equal([1, 2], resumed.Select(c => c.Epoch));
        // Each checkpoint handed out carries every epoch so far, the resumed one's first.
        Assert.Equal([2, 3], resumed.Select(c => c.History.Count));
        Assert.Equal([0, 1, 2], resumed[^1].History.Select(h => h.Epoch));
        Assert.Equal(3, result.Checkpoint.History.Count);
    }

    [Fact]
    public void Train_TwiceWithTheSameSeed_GivesTheSameAssignmentsAndMetrics()
    {
        using var temp = TestData.NewTempFolder();
        var (manifest, _) = TinySyntheticCrops.WriteData(temp.Path, images: 14, seed: 5);
        var crops = TinySyntheticCrops.Extract(manifest, temp.Path);
        // No class count given: the estimate is part of what must repeat.
        var options = TinySyntheticCrops.Quick with { NovelClasses = null };

        var first = CropDiscovery.Train(crops, new CropDiscoveryOptions(options, temp.Combine("first"), Resume: false));
        var second = CropDiscovery.Train(crops, new CropDiscoveryOptions(options, temp.Combine("second"), Resume: false));

        Assert.Equal(first.NovelClasses, second.NovelClasses);
        Assert.Equal(first.SelectedHead, second.SelectedHead);
        Assert.Equal(first.Assignments.Select(a => (a.ClassIndex, a.Confidence)), second.Assignments.Select(a => (a.ClassIndex, a.Confidence)));
        Assert.NotNull(first.Metrics);
        Assert.Equal((first.Metrics!.Nmi, first.Metrics.Ari, first.Metrics.F1, first.Metrics.N), (second.Metrics!.Nmi, second.Metrics.Ari, second.Metrics.F1, second.Metrics.N));
    }

    [Fact]
    public void Train_BaseCropAfterUnlabelledOnes_IsRefused()
    {
        var crops = new[] { new CropToTrain("a.png", "a-mask.png", 10, 0.5), new CropToTrain("b.png", "b-mask.png", 10, 0.5, BaseLabel: "scratch") };

        Assert.Throws<ArgumentException>(() => CropDiscovery.Train(crops, new CropDiscoveryOptions(TinySyntheticCrops.Quick, "unused", Resume: false)));
    }
}
