using AnomalyNcd.Analytics.Clustering;
using AnomalyNcd.Core.Training;

namespace AnomalyNcd.Core.Discovery;

/// <summary>
/// One crop to discover on: its RGB crop and 0/255 mask files, area and score; a base label makes it a
/// labelled (base-class) crop; a truth label (unlabelled crops) is used for metrics only.
/// </summary>
public sealed record CropToTrain(string CropPath, string MaskPath, int Area, double Score, string? BaseLabel = null, string? TruthLabel = null, string? SourceImage = null, int RegionIndex = 0);

/// <summary>Settings of <see cref="CropDiscovery.Train"/>: the discovery settings (classes, epochs, seed, encoder) and where checkpoints go.</summary>
public sealed record CropDiscoveryOptions(DiscoveryOptions Discovery, string CheckpointFolder, bool Resume);

/// <summary>A crop's output: class index (0..K-1; base classes first), its probability and the selected head's distribution.</summary>
public sealed record CropAssignment(int ClassIndex, double Confidence, double[] Probabilities);

/// <summary>
/// What <see cref="CropDiscovery.Train"/> produced: the final checkpoint (in <paramref name="CheckpointFolder"/>),
/// the selected head, class names, one assignment per input crop (input order), metrics when truth labels
/// were given, and the epoch training started from (above 0 after a resume).
/// </summary>
public sealed record CropDiscoveryResult(
    TrainingCheckpoint Checkpoint,
    string CheckpointFolder,
    int SelectedHead,
    IReadOnlyList<string> BaseClasses,
    IReadOnlyList<string> NovelClasses,
    IReadOnlyList<CropAssignment> Assignments,
    ClusteringMetrics? Metrics,
    int StartEpoch);
