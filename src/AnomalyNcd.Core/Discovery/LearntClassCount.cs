using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Training;

namespace AnomalyNcd.Core.Discovery;

/// <summary>
/// The class count estimated on a learnt embedding instead of frozen tokens: train with the largest count the search
/// allows, cluster the trained CLS features of the unlabelled crops with <see cref="ClassCountEstimator.FromPoints"/>
/// (k-means for k = 2..max, highest mean silhouette), then build the network of the chosen count on the same encoder
/// with its classes at the k-means centres (<see cref="DiscoveryTraining.Rehead"/>). Frozen ImageNet tokens group
/// crops by texture and contrast; NCD-trained features group them by defect, which is what the count should measure.
/// It costs one training run at the largest count, no second one.
/// </summary>
internal static class LearntClassCount
{
    public static (DiscoveryTraining Training, ClassCountEstimator.Estimate Estimate) Run(
        FeatureBank bank,
        TrainingSamples samples,
        IReadOnlyList<string> baseClasses,
        DiscoveryOptions options,
        int maxClasses,
        string checkpointFolder,
        IProgress<ProgressUpdate>? progress,
        CancellationToken cancellationToken)
    {
        var novel = samples.UnlabelledIndices();
        if (maxClasses < 2 || maxClasses >= novel.Count)
        {
            throw new InvalidInputException(null, $"{novel.Count} unlabelled crop(s) are too few to estimate up to {maxClasses} classes; give --classes");
        }

        using var widest = DiscoveryTraining.Run(
            bank, vitTail: null, TrainingCheckpoint.ResNet18Backbone, samples, baseClasses, DiscoverySteps.ClassNames(maxClasses), options,
            checkpointFolder, resumeFolder: null, onCheckpoint: null, progress, cancellationToken);
        var features = KMeansHeadInitialiser.UnitFeatures(widest.Network, bank, novel, batchSize: 64);
        var estimate = ClassCountEstimator.FromPoints(features, maxClasses, options.Training.Seed);
        // The rebuilt network carries the same encoder, so its features are these: computed once.
        var training = DiscoveryTraining.Rehead(widest, bank, samples, baseClasses, DiscoverySteps.ClassNames(estimate.Classes), options, checkpointFolder, features);
        return (training, estimate);
    }
}
