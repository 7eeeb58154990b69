using AnomalyNcd.Analytics.Clustering;
using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Imaging;
using AnomalyNcd.Core.Metrics;
using AnomalyNcd.Core.Training;
using AnomalyNcd.Core.Training.Data;

namespace AnomalyNcd.Core.Discovery;

/// <summary>
/// Discovery on crops that already exist (the platform's accumulated regions) instead of a manifest:
/// the same pieces as <see cref="DiscoveryPipeline"/> — feature bank, class-count estimate, network,
/// NCD trainer with a checkpoint after every epoch, selected-head assignment — with resume from the
/// checkpoint folder. Transductive: every unlabelled crop is trained on and assigned.
/// </summary>
public static class CropDiscovery
{
    /// <param name="onCheckpoint">
    /// Runs after every epoch, once its checkpoint is on disk, with that checkpoint: its epoch and the whole loss
    /// history, a resumed checkpoint's epochs included (what a caller shows must come from the checkpoint actually
    /// resumed, not from an earlier read of the folder).
    /// </param>
    public static CropDiscoveryResult Train(
        IReadOnlyList<CropToTrain> crops,
        CropDiscoveryOptions options,
        Action<TrainingCheckpoint>? onCheckpoint = null,
        IProgress<ProgressUpdate>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var discovery = options.Discovery;
        discovery.Training.Validate();
        Directory.CreateDirectory(options.CheckpointFolder);
        var resume = options.Resume && File.Exists(Path.Combine(options.CheckpointFolder, TrainingCheckpoint.MetadataFile))
            ? TrainingCheckpoint.ReadMetadata(options.CheckpointFolder)
            : null;

        using var dataset = Load(crops);
        var seed = discovery.Training.Seed;
        var bank = FeatureBankBuilder.Build(dataset, discovery, seed, progress, cancellationToken);
        var novelCrops = dataset.UnlabelledIndices;
        var baseCount = dataset.BaseClasses.Count;
        var samples = DiscoverySteps.Samples(dataset, heldOut: null);
        // A resumed run keeps its checkpoint's classes.
        var (training, _) = DiscoverySteps.CountAndTrain(
            bank, vitTail: null, TrainingCheckpoint.ResNet18Backbone, samples, novelCrops, dataset.BaseClasses, discovery with { MaxNovelClasses = Math.Min(discovery.MaxNovelClasses, novelCrops.Count) },
            resume?.NovelClasses.Count, options.CheckpointFolder, resume is null ? null : options.CheckpointFolder, onCheckpoint,
            options.CheckpointFolder, $"there are {novelCrops.Count} unlabelled crop(s)", progress, cancellationToken);
        using var trainingScope = training;
        var novelClasses = training.Network.ClassCount - baseCount;
        var classNames = DiscoverySteps.ClassNames(novelClasses);
        var head = training.SelectedHead;
        // A line's crops come from anomaly maps (given with the uploads or the line's detector's).
        var probabilities = DiscoverySteps.PredictNovel(training, bank, dataset, discovery.PredictionViews ?? PredictionViewDefaults.For(groundTruthMasks: false));
        var assignments = new CropAssignment[dataset.Count];
        for (var k = 0; k < novelCrops.Count; k++)
        {
            // Unlabelled crops are assigned a novel class: the best after the base classes.
            var p = probabilities[k];
            var best = baseCount + Maximum.IndexOf<double>(p.AsSpan(baseCount));
            assignments[novelCrops[k]] = new CropAssignment(best, p[best], p);
        }

        foreach (var i in dataset.LabelledIndices)
        {
            var oneHot = new double[baseCount + novelClasses];
            oneHot[dataset.Samples[i].Label] = 1;
            assignments[i] = new CropAssignment(dataset.Samples[i].Label, 1, oneHot);
        }

        // Metrics over the unlabelled crops whose true class is known (labelled ones are given, not discovered).
        var evaluated = novelCrops.Where(i => crops[i].TruthLabel is { Length: > 0 }).ToList();
        var metrics = evaluated.Count == 0
            ? null
            : ClusteringEvaluator.Evaluate(
                evaluated.Select(i => crops[i].TruthLabel!).ToList(),
                evaluated.Select(i => assignments[i].ClassIndex.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList());

        return new CropDiscoveryResult(
            training.LastCheckpoint ?? throw new InvalidOperationException("training produced no checkpoint"),
            options.CheckpointFolder, head, dataset.BaseClasses, classNames, assignments, metrics, training.StartEpoch);
    }

    /// <summary>Loads the crops in the given order: labelled ones become base crops (the dataset keeps base first, then novel; indices are mapped back).</summary>
    private static CropDataset Load(IReadOnlyList<CropToTrain> crops)
    {
        // CropDataset orders labelled crops first; requiring that order here keeps dataset index == input index.
        var firstUnlabelled = crops.ToList().FindIndex(c => c.BaseLabel is null);
        if (firstUnlabelled >= 0 && crops.Skip(firstUnlabelled).Any(c => c.BaseLabel is not null))
        {
            throw new ArgumentException("list the labelled (base) crops before the unlabelled ones", nameof(crops));
        }

        var inputs = new List<CropInput>(crops.Count);
        try
        {
            for (var i = 0; i < crops.Count; i++)
            {
                var crop = crops[i];
                var image = ImageFiles.ReadRgb(crop.CropPath);
                GrayImage mask;
                try
                {
                    mask = ImageFiles.ReadGray(crop.MaskPath);
                }
                catch
                {
                    image.Dispose();
                    throw;
                }

                inputs.Add(new CropInput(image, mask, crop.BaseLabel, crop.Score, crop.SourceImage ?? crop.CropPath, crop.RegionIndex, crop.CropPath));
                if (mask.Width != image.Width || mask.Height != image.Height)
                {
                    throw new InvalidInputException(crop.MaskPath, $"crop mask is {mask.Width}x{mask.Height} but its crop is {image.Width}x{image.Height}");
                }
            }

            // Truth labels stay out of the dataset: they are for metrics only and compared here by input index.
            return CropDataset.Create([.. inputs.Where(c => c.ClassName is not null)], [.. inputs.Where(c => c.ClassName is null)]);
        }
        catch
        {
            foreach (var input in inputs)
            {
                input.Image.Dispose();
            }

            throw;
        }
    }
}
