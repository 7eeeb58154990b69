using System.Globalization;
using AnomalyNcd.Core.Common;
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
    public static (int Classes, string Source) NovelClassCount(FeatureBank bank, IReadOnlyList<int> novelCrops, int? given, int maxClasses, int seed)
    {
        if (given is { } classes)
        {
            return (classes, "given");
        }

        var estimate = ClassCountEstimator.Run(bank, novelCrops, maxClasses, seed);
        return (estimate.Classes, "estimated (k-means silhouette over masked mean tokens: " +
            string.Join(", ", estimate.SilhouetteByK.Select(kv => string.Create(CultureInfo.InvariantCulture, $"k={kv.Key}: {kv.Value:0.000}"))) + ")");
    }

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
        return new TrainingSamples(labels, [.. dataset.Samples.Select(s => s.Score)], dataset.BaseClasses.Count);
    }

    public static List<string> ClassNames(int novelClasses) => [.. Enumerable.Range(0, novelClasses).Select(DiscoveryPipeline.NovelClassName)];

    /// <summary>The selected head's probabilities (base classes first) of every unlabelled crop, in <see cref="CropDataset.UnlabelledIndices"/> order.</summary>
    public static double[][] PredictNovel(DiscoveryTraining training, FeatureBank bank, CropDataset dataset) =>
        NcdTrainer.PredictProbabilities(training.Network, bank, dataset.UnlabelledIndices, dataset.BaseClasses.Count)[training.SelectedHead];
}
