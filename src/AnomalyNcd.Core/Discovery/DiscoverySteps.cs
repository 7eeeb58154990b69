using System.Globalization;
using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Model;
using AnomalyNcd.Core.Training;
using AnomalyNcd.Core.Training.Data;

namespace AnomalyNcd.Core.Discovery;

/// <summary>
/// The steps around <see cref="DiscoveryTraining"/> that <see cref="DiscoveryPipeline.Run"/> (a manifest) and
/// <see cref="CropDiscovery.Train"/> (the platform's crops) share: how many novel classes, the training labels,
/// the class names, and the selected head's probabilities of the unlabelled crops.
/// </summary>
internal static class DiscoverySteps
{
    /// <summary>The given number of novel classes, or the class-count estimate over the unlabelled crops, with where it came from.</summary>
    private static (int Classes, string Source) NovelClassCount(FeatureBank bank, IReadOnlyList<int> novelCrops, int? given, int maxClasses, int seed)
    {
        if (given is { } classes)
        {
            return (classes, "given");
        }

        var estimate = ClassCountEstimator.Run(bank, novelCrops, maxClasses, seed);
        return (estimate.Classes, Describe("k-means silhouette over masked mean tokens", estimate));
    }

    /// <summary>
    /// The number of novel classes and the trained network. Given (or resumed with) a count, it trains with it; otherwise
    /// the learnt estimate (<see cref="LearntClassCount"/>, ResNet18 tokens, a fresh run) or the frozen-token one.
    /// </summary>
    /// <param name="novelCrops">Every unlabelled crop (held-out ones included), for the frozen estimate and the range check.</param>
    /// <param name="cropsFound">How the range check's message names <paramref name="novelCrops"/>.</param>
    public static (DiscoveryTraining Training, string CountSource) CountAndTrain(
        FeatureBank bank,
        VitTail? vitTail,
        string backbone,
        TrainingSamples samples,
        IReadOnlyList<int> novelCrops,
        IReadOnlyList<string> baseClasses,
        DiscoveryOptions options,
        int? resumedClasses,
        string checkpointFolder,
        string? resumeFolder,
        Action<TrainingCheckpoint>? onCheckpoint,
        string? path,
        string cropsFound,
        IProgress<ProgressUpdate>? progress,
        CancellationToken cancellationToken)
    {
        var given = resumedClasses ?? options.NovelClasses;
        var widest = Math.Min(options.MaxNovelClasses, samples.UnlabelledIndices().Count - 1);
        if (given is null && options.ClassCountFeatures == ClassCountFeatures.Learnt && vitTail is null && resumeFolder is null && widest >= 2)
        {
            var (trained, estimate) = LearntClassCount.Run(bank, samples, baseClasses, options, widest, checkpointFolder, progress, cancellationToken);
            return (trained, Describe($"k-means silhouette over the CLS features of the network trained with {widest} classes", estimate));
        }

        var (classes, source) = NovelClassCount(bank, novelCrops, given, options.MaxNovelClasses, options.Training.Seed);
        CheckNovelClassCount(classes, novelCrops.Count, path, cropsFound);
        var training = DiscoveryTraining.Run(
            bank, vitTail, backbone, samples, baseClasses, ClassNames(classes), options, checkpointFolder, resumeFolder, onCheckpoint, progress, cancellationToken);
        return (training, source);
    }

    private static string Describe(string method, ClassCountEstimator.Estimate estimate) =>
        $"estimated ({method}: " + string.Join(", ", estimate.SilhouetteByK.Select(kv => string.Create(CultureInfo.InvariantCulture, $"k={kv.Key}: {kv.Value:0.000}"))) + ")";

    /// <summary>Refuses fewer than one novel class or more than there are unlabelled crops (<paramref name="cropsFound"/> says how many, for the message).</summary>
    public static void CheckNovelClassCount(int novelClasses, int novelCrops, string? path, string cropsFound)
    {
        if (novelClasses < 1 || novelClasses > novelCrops)
        {
            throw new InvalidInputException(path, $"{novelClasses} novel classes requested but {cropsFound}; choose between 1 and {novelCrops}");
        }
    }

    /// <summary>Training labels: base crops their class, unlabelled crops unlabelled, or held out where <paramref name="heldOut"/> says so.</summary>
    public static TrainingSamples Samples(CropDataset dataset, bool[]? heldOut)
    {
        var labels = dataset.Samples.Select((s, i) => s.IsLabelled ? s.Label : heldOut?[i] == true ? TrainingSamples.HeldOut : TrainingSamples.Unlabelled).ToArray();
        return new TrainingSamples(labels, [.. dataset.Samples.Select(s => s.Score)], dataset.BaseClasses.Count)
        {
            Regionless = [.. dataset.Samples.Select(s => s.ForegroundArea == 0)],
        };
    }

    public static List<string> ClassNames(int novelClasses) => [.. Enumerable.Range(0, novelClasses).Select(DiscoveryPipeline.NovelClassName)];

    /// <summary>The selected head's probabilities (base classes first) of every unlabelled crop, in <see cref="CropDataset.UnlabelledIndices"/> order.</summary>
    public static double[][] PredictNovel(DiscoveryTraining training, FeatureBank bank, CropDataset dataset, PredictionViews views) =>
        NcdTrainer.PredictProbabilities(training.Network, bank, dataset.UnlabelledIndices, dataset.BaseClasses.Count, views: views)[training.SelectedHead];
}
