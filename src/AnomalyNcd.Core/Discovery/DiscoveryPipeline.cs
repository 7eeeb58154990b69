using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AnomalyNcd.Core.Binarization;
using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Datasets;
using AnomalyNcd.Core.Diagnostics;
using AnomalyNcd.Core.Extraction;
using AnomalyNcd.Core.Merging;
using AnomalyNcd.Analytics.Clustering;
using AnomalyNcd.Core.Metrics;
using AnomalyNcd.Core.Model;
using AnomalyNcd.Core.Training;
using AnomalyNcd.Core.Training.Data;

namespace AnomalyNcd.Core.Discovery;

/// <summary>
/// The whole AnomalyNCD method over a manifest: regions (ground-truth masks or MEBin on maps) →
/// anomaly-centred crops → frozen backbone tokens of cached views → NCD training with an optional
/// labelled base set → crop predictions → area-weighted region merging → image labels and metrics.
/// Writes <c>regions.csv</c>, <c>images.csv</c>, <c>metrics.json</c> (when labels exist), <c>model/</c>
/// and the stage-1 crops under <c>crops/</c> into <paramref name="outputFolder"/>.
/// </summary>
public static class DiscoveryPipeline
{
    /// <summary>Name of the designated "normal" output class (index L, the target of pseudo-label correction).</summary>
    public static string NovelClassName(int index) => $"class-{index}";

    public static DiscoveryResult Run(
        string manifestPath,
        string? baseManifestPath,
        string outputFolder,
        DiscoveryOptions options,
        IProgress<ProgressUpdate>? progress = null,
        CancellationToken cancellationToken = default)
    {
        options.Training.Validate();
        if (options.EmbeddingsPath is not null)
        {
            CropEmbeddings.CheckTarget(options.EmbeddingsPath);
        }

        var times = new StageLaps(DiscoveryMetrics.Stages);
        var manifest = Manifest.Load(manifestPath);
        var extraction = RegionExtractionOptions.Default with
        {
            Mebin = MebinSetOptions.Default with
            {
                DegenerateRange = options.DegenerateRange,
                Mebin = MebinOptions.Default with { ErodeKernelSize = options.ErodeKernelSize },
                Rule = options.EffectiveRegionRule,
                Peaks = options.Peaks,
            },
            CoreFraction = options.RegionCoreFraction,
            Crop = RegionExtractionOptions.Default.Crop with { CropEveryRegion = options.CropEveryRegion, MinCropSize = options.MinCropSize },
        };
        var mapsFolder = options.MapsFolder;
        Maps.NormalReferencedScale? scale = null;
        if (options.DetectorFolder is not null)
        {
            // Raw images: the detector's maps, scaled against its normal calibration; MEBin then searches a fixed range.
            var prepared = RawImageMaps.Prepare(manifest, manifestPath, options, Path.Combine(outputFolder, "crops", "detector-maps"), progress, cancellationToken);
            (mapsFolder, scale) = (prepared.MapsFolder, prepared.Scale);
            extraction = extraction with
            {
                Mebin = extraction.Mebin.GatedAt(scale.RegionGateLevel) with { FixedRange = Maps.NormalReferencedScale.MebinRange },
            };
            times.Lap("detector maps");
        }

        if (mapsFolder is not null)
        {
            manifest = Maps.MapAttachment.Attach(manifest, mapsFolder, Path.Combine(outputFolder, "crops", "maps"), options.Split, options.Line, cancellationToken, scale, options.DegenerateRange).Manifest;
            options = options with { Source = RegionSource.AnomalyMaps };
        }

        // 1. Regions and crops of the novel (unlabelled) data and of the base (labelled) data.
        var novelCsv = Path.Combine(outputFolder, "crops", "novel", "regions.csv");
        Directory.CreateDirectory(Path.GetDirectoryName(novelCsv)!);
        var lineSummaries = ManifestRegionExtractor.Run(manifest, manifestPath, Path.GetDirectoryName(novelCsv)!, new ManifestRegionOptions { Split = options.Split, Line = options.Line, Source = options.Source, Extraction = extraction }, progress, cancellationToken);
        // Paper Table 3: how well MEBin's regions on the maps match the ground-truth masks (maps only).
        var binarization = options.Source == RegionSource.AnomalyMaps && lineSummaries.Any(l => l.Binarization is not null)
            ? lineSummaries.Where(l => l.Binarization is not null).Aggregate(default(BoxErrorCounts), (sum, l) => sum + l.Binarization!.Value)
            : (BoxErrorCounts?)null;
        string? baseCsv = null;
        if (baseManifestPath is not null)
        {
            var baseManifest = Manifest.Load(baseManifestPath);
            var kept = CapPerClass(baseManifest, baseManifestPath, options.MaxBaseImagesPerClass);
            baseCsv = Path.Combine(outputFolder, "crops", "base", "regions.csv");
            Directory.CreateDirectory(Path.GetDirectoryName(baseCsv)!);
            ManifestRegionExtractor.Run(
                new Manifest(baseManifest.Folder, kept), baseManifestPath, Path.GetDirectoryName(baseCsv)!,
                new ManifestRegionOptions { Split = null, Source = RegionSource.GroundTruthMasks, Extraction = RegionExtractionOptions.Default with { ForcedEstimate = 1 } }, progress, cancellationToken);
        }

        times.Lap("regions and crops");

        // A base set whose crops lie apart from the line's in the frozen feature space is left out (BaseSetUse.Auto).
        BaseSetRelevance.Measurement? baseRelevance = null;
        if (baseCsv is not null && options.BaseSetUse == BaseSetUse.Auto)
        {
            baseRelevance = BaseSetGate.Measure(baseCsv, novelCsv, manifestPath, options, progress, cancellationToken);
            baseCsv = baseRelevance.Relevant ? baseCsv : null;
            times.Lap("base set relevance");
        }

        // 2. Crops in memory, then frozen backbone tokens of every view.
        using var dataset = CropDatasetLoader.Load(baseCsv, novelCsv, manifestPath);
        var seed = options.Training.Seed;
        var useVit = options.Backbone == TrainingCheckpoint.DinoVitB8Backbone;
        FeatureBank bank;
        VitTail? vitTail = null;
        if (useVit)
        {
            (bank, vitTail) = FeatureBankBuilder.BuildVit(dataset, options, seed, progress, cancellationToken);
        }
        else if (options.Backbone == TrainingCheckpoint.ResNet18Backbone)
        {
            bank = FeatureBankBuilder.Build(dataset, options, seed, progress, cancellationToken);
        }
        else
        {
            throw new InvalidInputException(null, $"unknown backbone '{options.Backbone}' (resnet18 or dino-vitb8)");
        }

        times.Lap("backbone features");

        // 3. Number of novel classes.
        var novelCrops = dataset.UnlabelledIndices;
        if (novelCrops.All(i => dataset.Samples[i].ForegroundArea == 0))
        {
            throw new InvalidInputException(manifestPath, $"no anomaly region in any of the {novelCrops.Count} image(s) of the split (every mask is empty): nothing to discover");
        }

        // 4. Training (inductive: the held-out half of the images is not trained on), with the class count given or estimated.
        var heldOut = options.Protocol == DiscoveryProtocol.Inductive
            ? dataset.Samples.Select(s => !s.IsLabelled && InSecondHalf(s.SourceImage)).ToArray()
            : null;
        var samples = DiscoverySteps.Samples(dataset, heldOut);
        var baseCount = dataset.BaseClasses.Count;
        var modelFolder = Path.Combine(outputFolder, "model");
        var (training, classCountSource) = DiscoverySteps.CountAndTrain(
            bank, vitTail, options.Backbone, samples, novelCrops, dataset.BaseClasses, options, resumedClasses: null,
            modelFolder, options.ResumeFrom, onCheckpoint: null, manifestPath, $"the split has {novelCrops.Count} crop(s)", progress, cancellationToken);
        using var trainingScope = training;
        var novelClasses = training.Network.ClassCount - baseCount;
        var classNames = DiscoverySteps.ClassNames(novelClasses);
        var history = training.History;
        times.Lap("training");

        // 5. Predictions: crops with the selected head, then images by area-weighted merging.
        var head = training.SelectedHead;
        var probabilities = DiscoverySteps.PredictNovel(training, bank, dataset, options.EffectivePredictionViews);
        var cropPredictions = novelCrops.Select((sampleIndex, k) => (Sample: dataset.Samples[sampleIndex], Probabilities: probabilities[k][baseCount..])).ToList();
        var imagePredictions = cropPredictions
            .GroupBy(c => c.Sample.SourceImage, StringComparer.Ordinal)
            .ToDictionary(
                g => g.Key,
                g => RegionMerger.Merge([.. g.Select(c => (IReadOnlyList<double>)c.Probabilities)], [.. g.Select(c => (long)c.Sample.ForegroundArea)], options.MergeTemperature),
                StringComparer.Ordinal);

        var imageOrder = manifest.Rows.Where(r => (options.Split is null || r.Split == options.Split) && (options.Line is null || (r.Line ?? ManifestRegionExtractor.DefaultLine) == options.Line)).Select(r => r.Image).Where(imagePredictions.ContainsKey).ToList();
        WriteRegions(Path.Combine(outputFolder, "regions.csv"), novelCsv, cropPredictions, classNames);
        WriteImages(Path.Combine(outputFolder, "images.csv"), imageOrder, imagePredictions, classNames);
        times.Lap("prediction");
        if (options.EmbeddingsPath is { } embeddingsPath)
        {
            CropEmbeddings.Write(embeddingsPath, training.Network, bank, dataset, novelCrops);
            times.Lap("embeddings");
        }

        // 6. Metrics where the manifest has labels (inductive: only the held-out half counts).
        var labelOf = manifest.Rows.Where(r => r.Label is not null).ToDictionary(r => r.Image, r => r.Label!, StringComparer.Ordinal);
        var evaluated = imageOrder.Where(i => labelOf.ContainsKey(i) && (options.Protocol == DiscoveryProtocol.Transductive || InSecondHalf(i))).ToList();
        ClusteringMetrics? imageMetrics = null, regionMetrics = null, kindMetrics = null;
        ClusteringMetrics ImageLevel(List<string> images) =>
            ClusteringEvaluator.Evaluate(images.Select(i => labelOf[i]).ToList(), images.Select(i => classNames[imagePredictions[i].ClassIndex]).ToList());
        if (evaluated.Count > 0)
        {
            imageMetrics = ImageLevel(evaluated);
            // The same assignment on the defective images alone: how well the kinds are told apart, whatever
            // happens to the normal images.
            var defective = evaluated.Where(i => !ManifestRegionExtractor.IsNormalLabel(labelOf[i])).ToList();
            if (defective.Count > 0 && defective.Count < evaluated.Count)
            {
                kindMetrics = ImageLevel(defective);
            }

            var evaluatedSet = evaluated.ToHashSet(StringComparer.Ordinal);
            var regions = cropPredictions.Where(c => evaluatedSet.Contains(c.Sample.SourceImage)).ToList();
            regionMetrics = ClusteringEvaluator.Evaluate(
                regions.Select(c => labelOf[c.Sample.SourceImage]).ToList(),
                regions.Select(c => classNames[Maximum.IndexOf<double>(c.Probabilities)]).ToList());
        }

        var result = new DiscoveryResult(
            options.Protocol, dataset.BaseClasses, classNames, classCountSource, imageOrder.Count, evaluated.Count,
            novelCrops.Count, dataset.LabelledIndices.Count, head, imageMetrics, regionMetrics, times.Times, binarization, lineSummaries, kindMetrics, baseRelevance);
        if (imageMetrics is not null)
        {
            WriteMetrics(Path.Combine(outputFolder, "metrics.json"), result, options);
        }

        WriteModelCard(Path.Combine(modelFolder, "model-card.md"), manifestPath, baseManifestPath, options, result, history);
        return result;
    }

    /// <summary>The inductive protocol's held-out half: images whose path hashes to an odd first byte.</summary>
    public static bool InSecondHalf(string image) => (SHA256.HashData(Encoding.UTF8.GetBytes(image))[0] & 1) == 1;

    /// <summary>At most <paramref name="perClass"/> labelled rows per class, chosen by a stable hash of the image path.</summary>
    private static List<ManifestRow> CapPerClass(Manifest manifest, string path, int perClass)
    {
        var labelled = manifest.Rows.Where(r => r.Label is not null).ToList();
        if (labelled.Count == 0)
        {
            throw new InvalidInputException(path, "the base manifest has no labelled rows");
        }

        return [.. labelled
            .GroupBy(r => r.Label!, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .SelectMany(g => g.OrderBy(r => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(r.Image))), StringComparer.Ordinal).Take(perClass))];
    }

    private static void WriteRegions(string path, string stageOneCsv, IReadOnlyList<(CropSample Sample, double[] Probabilities)> crops, IReadOnlyList<string> classNames)
    {
        var table = CsvTable.Read(stageOneCsv);
        var column = table[0].Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i, StringComparer.Ordinal);
        var boxes = table.Skip(1).ToDictionary(r => (r[column["image"]], int.Parse(r[column["region"]], CultureInfo.InvariantCulture)));
        var text = new StringBuilder("image,region,left,up,right,bottom,area,score,class,confidence\n");
        foreach (var (sample, probabilities) in crops)
        {
            var row = boxes[(sample.SourceImage, sample.RegionIndex)];
            var best = Maximum.IndexOf<double>(probabilities);
            text.Append(CsvTable.Join([
                sample.SourceImage, sample.RegionIndex.ToString(CultureInfo.InvariantCulture),
                row[column["left"]], row[column["up"]], row[column["right"]], row[column["bottom"]], row[column["area"]], row[column["score"]],
                classNames[best], probabilities[best].ToString("0.####", CultureInfo.InvariantCulture),
            ])).Append('\n');
        }

        AtomicFile.WriteAllText(path, text.ToString());
    }

    private static void WriteImages(string path, IReadOnlyList<string> images, IReadOnlyDictionary<string, ImagePrediction> predictions, IReadOnlyList<string> classNames)
    {
        var text = new StringBuilder("image,class,confidence");
        foreach (var name in classNames)
        {
            text.Append(",p_").Append(name);
        }

        text.Append('\n');
        foreach (var image in images)
        {
            var prediction = predictions[image];
            var cells = new List<string?> { image, classNames[prediction.ClassIndex], prediction.Confidence.ToString("0.####", CultureInfo.InvariantCulture) };
            cells.AddRange(prediction.Probabilities.Select(p => p.ToString("0.####", CultureInfo.InvariantCulture)));
            text.Append(CsvTable.Join(cells)).Append('\n');
        }

        AtomicFile.WriteAllText(path, text.ToString());
    }

    private static object Summary(ClusteringMetrics m, string level) => new
    {
        level,
        n = m.N,
        nmi = m.Nmi,
        ari = m.Ari,
        f1 = m.F1,
        macroF1 = m.MacroF1,
        mapping = m.Mapping,
    };

    private static void WriteMetrics(string path, DiscoveryResult result, DiscoveryOptions options)
    {
        var image = result.ImageMetrics!;
        var document = new
        {
            level = "image",
            n = image.N,
            nmi = image.Nmi,
            ari = image.Ari,
            f1 = image.F1,
            f1Definition = "Hungarian-matched accuracy (micro-F1), as the reference code computes its F1",
            macroF1 = image.MacroF1,
            protocol = result.Protocol.ToString().ToLowerInvariant(),
            novelClasses = result.NovelClasses.Count,
            classes = result.NovelClasses.Count,
            classesEstimated = result.ClassCountSource != "given",
            classCount = result.ClassCountSource,
            baseClasses = result.BaseClasses,
            baseSet = result.BaseSetRelevance is { } g
                ? new { used = g.Relevant, relevance = Math.Round(g.Relevance, 4), nearestBaseShare = Math.Round(g.NearestBaseShare, 4), expectedShare = Math.Round(g.ExpectedShare, 4), threshold = BaseSetRelevance.Threshold }
                : null,
            selectedHead = result.SelectedHead,
            seed = options.Training.Seed,
            epochs = options.Training.Epochs,
            predictionViews = options.EffectivePredictionViews.ToString().ToLowerInvariant(),
            perClass = image.PerClass,
            mapping = image.Mapping,
            region = result.RegionMetrics is null ? null : Summary(result.RegionMetrics, "region"),
            defectiveImages = result.DefectiveImageMetrics is null ? null : Summary(result.DefectiveImageMetrics, "image, defective only"),
            binarization = result.Binarization is { } b
                ? new { groundTruthRegions = b.GroundTruthBoxes, missed = b.MissedGroundTruth, predictedRegions = b.PredictedBoxes, falsePositives = b.FalsePositives, fnr = b.FalseNegativeRate, fpr = b.FalsePositiveRate, iouThreshold = BinarizationErrorRates.IouThreshold }
                : null,
            regions = result.Lines is null ? null : new
            {
                images = result.Lines.Sum(l => l.Images),
                imagesWithRegions = result.Lines.Sum(l => l.ImagesWithRegions),
                defectiveImages = result.Lines.Sum(l => l.LabelledDefectiveImages),
                defectiveImagesWithRegions = result.Lines.Sum(l => l.DefectiveImagesWithRegions),
                normalImagesWithRegions = result.Lines.Sum(l => l.NormalImagesWithRegions),
                regions = result.Lines.Sum(l => l.Regions),
                crops = result.Lines.Sum(l => l.Crops),
                rule = options.Source == RegionSource.AnomalyMaps ? RuleName(options.EffectiveRegionRule) : "ground-truth masks",
            },
            stageSeconds = result.StageTimes.ToDictionary(kv => kv.Key, kv => Math.Round(kv.Value.TotalSeconds, 1)),
        };
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
    }

    private static string BaseSetLine(DiscoveryResult result) => result.BaseSetRelevance is { Relevant: false } g
        ? g.Verdict
        : $"{result.BaseCrops} crops, classes {string.Join(", ", result.BaseClasses)}" + (result.BaseSetRelevance is { } used ? $"; {used.Verdict}" : "");

    /// <summary>The rule's name as <c>discover --region-rule</c> takes it.</summary>
    public static string RuleName(RegionRule rule) => rule == RegionRule.PersistentPeaks ? "persistent-peaks" : "stable-count";

    private static void WriteModelCard(string path, string manifest, string? baseManifest, DiscoveryOptions options, DiscoveryResult result, IReadOnlyList<EpochLog> history)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine("# AnomalyNcd discovery model");
        text.AppendLine();
        text.AppendLine(string.Create(c, $"- data: `{manifest}`, split `{options.Split ?? "(all)"}`, regions from {options.Source}; {result.Images} images, {result.Crops} crops"));
        text.AppendLine(string.Create(c, $"- labelled base set: {(baseManifest is null ? "none" : $"`{baseManifest}` ({BaseSetLine(result)})")}"));
        text.AppendLine(string.Create(c, $"- novel classes: {result.NovelClasses.Count} ({result.ClassCountSource}); `class-0` is the designated normal cluster that pseudo-label correction pulls low-score crops towards"));
        var backbone = options.Backbone == TrainingCheckpoint.DinoVitB8Backbone
            ? $"DINO ViT-B/8 from `{options.BackboneWeights}` (blocks 0–{options.Vit.Depth - 2} frozen and cached per view, the last block trained, mask-guided blocks {options.Vit.FirstMaskedBlock}–{options.Vit.Depth - 1})"
            : $"ImageNet ResNet18 (frozen; layer2 + layer3 tokens on a {options.GridSize}x{options.GridSize} grid) → mask-guided CLS encoder ({options.Encoder.Blocks} blocks, width {options.Encoder.EmbedDim})";
        var prediction = options.EffectivePredictionViews == PredictionViews.All ? "averaged over all of them" : "from the test view";
        text.AppendLine(string.Create(c, $"- backbone: {backbone}; {options.TrainViews} cached training views + 1 test view per crop, class probabilities {prediction}; projector + {options.Heads} cosine heads"));
        text.AppendLine(string.Create(c, $"- training: {options.Training.Epochs} epochs, batch {options.Training.BatchSize}, SGD lr {options.Training.LearningRate} (cosine), seed {options.Training.Seed}, protocol {result.Protocol}; selected head {result.SelectedHead}"));
        if (result.ImageMetrics is { } m)
        {
            text.AppendLine(string.Create(c, $"- image level ({result.EvaluatedImages} images): NMI {m.Nmi:0.000}, ARI {m.Ari:0.000}, F1 (matched accuracy) {m.F1:0.000}, macro-F1 {m.MacroF1:0.000}"));
        }

        if (result.RegionMetrics is { } r)
        {
            text.AppendLine(string.Create(c, $"- region level: NMI {r.Nmi:0.000}, ARI {r.Ari:0.000}, F1 {r.F1:0.000}"));
        }

        text.AppendLine();
        text.AppendLine("| epoch | mean loss | lr | teacher τ |");
        text.AppendLine("|---|---|---|---|");
        foreach (var log in history)
        {
            text.AppendLine(string.Create(c, $"| {log.Epoch} | {log.MeanLoss:0.0000} | {log.LearningRate:0.######} | {log.TeacherTemperature:0.####} |"));
        }

        AtomicFile.WriteAllText(path, text.ToString());
    }
}
