using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using AnomalyNcd.Core.Binarization;
using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Cropping;
using AnomalyNcd.Core.Discovery;
using AnomalyNcd.Core.Extraction;
using AnomalyNcd.Core.Maps;
using AnomalyNcd.Core.Merging;
using AnomalyNcd.Core.Model;
using AnomalyNcd.Core.Training;

namespace AnomalyNcd.Cli.Commands;

/// <summary><c>anomalyncd discover</c>: group a manifest's anomaly regions into defect classes (AnomalyNCD).</summary>
internal static class DiscoverCommand
{
    public static Command Create(CliContext context)
    {
        var manifest = new Option<FileInfo>("--manifest") { Description = "Manifest CSV of the images to discover classes in.", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "Output folder: regions.csv, images.csv, metrics.json, model/, crops/.", Required = true };
        var split = new Option<string>("--split") { Description = "Manifest split to use ('all' for every row).", DefaultValueFactory = _ => "test" };
        var regions = new Option<string>("--regions") { Description = "Where regions come from: ground-truth (the manifest's masks, >127) or maps (MEBin on the manifest's anomaly maps, one set per line).", DefaultValueFactory = _ => "ground-truth" };
        regions.AcceptOnlyFromAmong("ground-truth", "maps");
        var maps = new Option<DirectoryInfo?>("--maps") { Description = "Folder of raw anomaly maps from any detector (PNG 8/16-bit, float TIFF, .npy), matched to the images by stem (flat) or relative path (tree); normalised per line and used for regions (implies --regions maps)." };
        var detector = new Option<DirectoryInfo?>("--detector") { Description = "Raw images: a detector folder from 'detect fit'. The split's images are scored with it (or --maps reuses maps it scored), each map is scaled against the detector's normal calibration and binarised by MEBin over that fixed range (implies --regions maps)." };
        var floorQuantile = new Option<double>("--floor-quantile") { Description = "With --detector: quantile of the held-out normal image scores that MEBin's lowest threshold starts above; images scoring below it get no region.", DefaultValueFactory = _ => NormalReferencedScaleOptions.Default.FloorQuantile };
        var imageGate = new Option<string>("--image-gate") { Description = "With --detector: quantile (0-1) of the held-out normal image scores an image's own score must exceed to get any region (about 1 - q of normal images flagged), or off (the floor alone decides).", DefaultValueFactory = _ => NormalReferencedScaleOptions.DefaultImageGate.ToString(CultureInfo.InvariantCulture) };
        var regionGate = new Option<bool>("--region-gate") { Description = "With --image-gate, the fixed ceiling and persistent peaks: every region, not only an image's strongest, must peak above the gate (default: on wherever it applies).", DefaultValueFactory = _ => NormalReferencedScaleOptions.Default.GateRegions };
        var areaGate = new Option<bool>("--area-gate") { Description = "With --image-gate on position-standardised maps: an image must also exceed, with the mean of its top 2 % pixels, the same quantile of the held-out normal images' such means (fewer normal images flagged, a few defective ones lost; off by default).", DefaultValueFactory = _ => NormalReferencedScaleOptions.Default.GateOnArea };
        var scaleTop = new Option<string>("--scale-top") { Description = "With --detector: what maps to 255, each map's own peak (peak) or a fixed multiple of the floor (fixed, see --top-factor).", DefaultValueFactory = _ => NormalReferencedScaleOptions.Default.Top == ScaleTop.Fixed ? "fixed" : "peak" };
        scaleTop.AcceptOnlyFromAmong("peak", "fixed");
        var topFactor = new Option<double>("--top-factor") { Description = "With --scale-top fixed: the score that maps to 255, as a multiple of the floor.", DefaultValueFactory = _ => NormalReferencedScaleOptions.Default.FixedTopFactor };
        var position = new Option<bool>("--position-reference") { Description = "With --detector: subtract what normal images score at each position (learnt at fit time) before scaling.", DefaultValueFactory = _ => NormalReferencedScaleOptions.Default.PositionAdjusted };
        var spread = new Option<bool>("--position-spread") { Description = "With --position-reference: also divide by how much normal images vary at each position (learnt at fit time), so scores are in normal standard deviations.", DefaultValueFactory = _ => NormalReferencedScaleOptions.Default.PositionStandardized };
        var regionCore = new Option<double?>("--region-core") { Description = "With maps: shrink each region to the pixels at or above this fraction (0-1) of its own peak before cropping (a detector draws a defect as a blob wider than the defect); default: keep MEBin's regions." };
        var degenerate = new Option<string>("--degenerate-fallback") { Description = "Map sets whose maps all share one maximum (normalised per image): refuse (default) or global-min (MEBin searches from the set's smallest pixel value up).", DefaultValueFactory = _ => "refuse" };
        degenerate.AcceptOnlyFromAmong("refuse", "global-min");
        var baseSet = new Option<FileInfo?>("--base") { Description = "Labelled base set: a manifest with labels and (box) masks, e.g. from 'import voc'." };
        var baseUse = new Option<string>("--base-use") { Description = "With --base: auto (train with the base set only when its crops mix with these crops in the frozen feature space; metrics.json baseSet says which and why) or always (the reference).", DefaultValueFactory = _ => "auto" };
        baseUse.AcceptOnlyFromAmong("auto", "always");
        var classes = new Option<string>("--classes") { Description = "Number of novel classes (normal included), or 'auto' to estimate it.", DefaultValueFactory = _ => "auto" };
        var estimateOn = new Option<string>("--estimate-on") { Description = "With --classes auto, what the class count is estimated on: learnt (the CLS features of a briefly trained probe network; resnet18 only) or frozen (the crops' mask-pooled backbone tokens, no training).", DefaultValueFactory = _ => "learnt" };
        estimateOn.AcceptOnlyFromAmong("learnt", "frozen");
        var backbone = new Option<string>("--backbone") { Description = "Backbone: resnet18 (ImageNet, shipped, CPU-sized) or dino-vitb8 (the paper's; needs --weights; a GPU recipe).", DefaultValueFactory = _ => "resnet18" };
        backbone.AcceptOnlyFromAmong("resnet18", "dino-vitb8");
        var weights = new Option<FileInfo?>("--weights") { Description = "Backbone checkpoint (only for dino-vitb8)." };
        var epochs = new Option<int>("--epochs") { Description = "Training epochs.", DefaultValueFactory = _ => NcdTrainingOptions.DefaultEpochs };
        var headInit = new Option<string>("--head-init") { Description = "How the classifier heads' novel classes start: random (the reference) or kmeans (at k-means centres of the untrained network's crop features, so every class starts on a group of crops).", DefaultValueFactory = _ => "random" };
        headInit.AcceptOnlyFromAmong("random", "kmeans");
        var predictViews = new Option<string?>("--predict-views") { Description = "Which views of a crop its class comes from: test (the plain view, the reference) or all (the probabilities averaged over the plain view and the cached augmented training views). Default: all for ground-truth masks on the resnet18 backbone, test for anomaly maps (--regions maps, --maps, --detector) and for dino-vitb8." };
        predictViews.AcceptOnlyFromAmong("test", "all");
        var emptyClasses = new Option<string>("--empty-classes") { Description = "A class that no crop chooses during training: keep it (the reference) or split (every 5 epochs in the first half, it takes half of the class whose 2-means split lowers the spread most).", DefaultValueFactory = _ => "keep" };
        emptyClasses.AcceptOnlyFromAmong("keep", "split");
        var regionless = new Option<string>("--regionless-crops") { Description = "How crops of images without a region (cropped whole, all alike) count in the mean-entropy term: own (their own predictions, the reference) or normal (certain of the normal class, so they cannot hold another class's share).", DefaultValueFactory = _ => "own" };
        regionless.AcceptOnlyFromAmong("own", "normal");
        var teacher = new Option<string>("--teacher") { Description = "Self-distillation targets: softmax (the reference) or sinkhorn (balanced over each batch, so every class keeps a share of the targets).", DefaultValueFactory = _ => "softmax" };
        teacher.AcceptOnlyFromAmong("softmax", "sinkhorn");
        var seed = new Option<int>("--seed") { Description = "Random seed.", DefaultValueFactory = _ => 3407 };
        var protocol = new Option<string>("--protocol") { Description = "transductive (train and evaluate on the same crops, as the paper) or inductive (train on half the images, assign the other half).", DefaultValueFactory = _ => "transductive" };
        protocol.AcceptOnlyFromAmong("transductive", "inductive");
        var mergeTemperature = new Option<double>("--merge-temperature") { Description = "Region-merge temperature T (the reference: 100 for MVTec AD, 50 otherwise).", DefaultValueFactory = _ => RegionMergeTemperature.Default };
        var resume = new Option<DirectoryInfo?>("--resume") { Description = "Resume training from an earlier run's model/ folder (same data, classes and settings)." };
        var embeddings = new Option<FileInfo?>("--embeddings-out") { Description = "Also write every crop's frozen descriptor and learnt feature to this CSV (image, region, area, frozen, learnt), for analysis outside the product." };
        var threads = new Option<int>("--threads") { Description = "Threads for crop features (default: all cores).", DefaultValueFactory = _ => -1 };
        var crops = new Option<string>("--crops") { Description = "merged: near regions share a crop, at most MEBin's estimate + 1 per image (the reference); per-region: every region its own crop (several small defects per part).", DefaultValueFactory = _ => "merged" };
        crops.AcceptOnlyFromAmong("merged", "per-region");
        var erodeKernel = new Option<int>("--erode-kernel") { Description = "With maps: side of MEBin's erosion kernel in pixels (the reference: 6; smaller keeps thin and tiny defects, 1 = no erosion).", DefaultValueFactory = _ => MebinOptions.Default.ErodeKernelSize };
        var regionRule = new Option<string?>("--region-rule") { Description = "With maps: stable-count (MEBin, one threshold per image, the reference; the default with --maps) or persistent-peaks (every peak that rises far enough above where it meets a higher one is its own region, cut at its own height; the default with --detector)." };
        regionRule.AcceptOnlyFromAmong("stable-count", "persistent-peaks");
        var peakPersistence = new Option<double>("--peak-persistence") { Description = "With persistent-peaks: how far (normalised 0-255 levels) a peak must rise above the saddle to a higher peak.", DefaultValueFactory = _ => PeakRegionOptions.Default.MinPersistence };
        var peakCut = new Option<double>("--peak-cut") { Description = "With persistent-peaks: where each peak is cut, as a share of its rise above its saddle (0.5: halfway; smaller reaches further down the defect).", DefaultValueFactory = _ => PeakRegionOptions.Default.CutFraction };
        var peakProminence = new Option<double>("--peak-prominence") { Description = "With persistent-peaks: the share of its own height a peak must rise above that saddle (0-1).", DefaultValueFactory = _ => PeakRegionOptions.Default.MinProminence };
        var tokenCoverage = new Option<double>("--token-coverage") { Description = "Share (0-1] of a token cell the crop's mask must cover for the class token to see it (the reference: 0.5; smaller shows more of thin and small defects).", DefaultValueFactory = _ => new DiscoveryOptions().TokenCoverage };
        var tokenContrast = new Option<double?>("--token-contrast") { Description = "Show the class token only the tokens under the mask that differ from the crop's context: the share (0-1] of the most distinct token's distance a token needs; 0 = off (every token under the mask). Default: 0.7 with --detector (a detector's blobs are wider than its defects), off otherwise." };
        var minCropSize = new Option<double>("--min-crop-size") { Description = "Smallest crop half-side as a share of the image's longer side (the reference: 0.1; smaller keeps small defects' crops apart).", DefaultValueFactory = _ => new CropOptions().MinCropSize };

        var command = new Command("discover", "Discover defect classes among a manifest's anomaly regions, named or not (AnomalyNCD), and assign every region and image.")
        {
            manifest, output, split, regions, maps, detector, floorQuantile, imageGate, regionGate, areaGate, scaleTop, topFactor, position, spread, regionCore, degenerate, baseSet, baseUse, classes, estimateOn, backbone, weights, epochs, headInit, predictViews, emptyClasses, regionless, teacher, seed, protocol, mergeTemperature, resume, embeddings, threads, crops, minCropSize, tokenCoverage, tokenContrast, erodeKernel, regionRule, peakPersistence, peakProminence, peakCut,
        };
        command.SetAction(async (parse, cancel) =>
        {
            var manifestPath = parse.GetValue(manifest)!.FullName;
            var backboneName = parse.GetValue(backbone)!;
            var weightsPath = parse.GetValue(weights)?.FullName;
            if (backboneName == "dino-vitb8" && weightsPath is null)
            {
                throw new InvalidInputException(null, "--backbone dino-vitb8 needs --weights FILE (a DINO ViT-B/8 checkpoint, PyTorch or safetensors, DINO key names)");
            }

            var classText = parse.GetValue(classes)!;
            int? novelClasses = classText == "auto" ? null
                : int.TryParse(classText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var k) && k > 0 ? k
                : throw new InvalidInputException(null, $"--classes must be a positive number or 'auto', got '{classText}'");
            var gateText = parse.GetValue(imageGate)!;
            double? gate = gateText == "off" ? null
                : double.TryParse(gateText, NumberStyles.Float, CultureInfo.InvariantCulture, out var q) ? q
                : throw new InvalidInputException("--image-gate", $"must be a quantile in [0, 1] or off, got '{gateText}'");
            var top = parse.GetValue(scaleTop) == "fixed" ? ScaleTop.Fixed : ScaleTop.PerImagePeak;
            if (parse.GetResult(regionGate) is { Implicit: false } && parse.GetValue(regionGate) && !NormalReferencedScaleOptions.CanGateRegions(gate, top))
            {
                throw new InvalidInputException("--region-gate", "needs --image-gate Q and the fixed ceiling (--scale-top fixed), which give every map the same gate level");
            }

            var scaleOptions = new NormalReferencedScaleOptions
            {
                FloorQuantile = parse.GetValue(floorQuantile),
                ImageGateQuantile = gate,
                GateRegions = parse.GetValue(regionGate),
                GateOnArea = parse.GetValue(areaGate),
                Top = top,
                FixedTopFactor = parse.GetValue(topFactor),
                PositionAdjusted = parse.GetValue(position),
                PositionStandardized = parse.GetValue(position) && parse.GetValue(spread),
            };
            if (parse.GetResult(areaGate) is { Implicit: false } && scaleOptions.GateOnArea && !scaleOptions.AreaGateApplies)
            {
                throw new InvalidInputException("--area-gate", "needs --image-gate Q on position-standardised maps (--position-reference and --position-spread on)");
            }

            var splitName = parse.GetValue(split);
            var options = new DiscoveryOptions
            {
                Split = splitName == "all" ? null : splitName,
                Source = parse.GetValue(regions) == "maps" ? RegionSource.AnomalyMaps : RegionSource.GroundTruthMasks,
                MapsFolder = parse.GetValue(maps)?.FullName,
                DetectorFolder = parse.GetValue(detector)?.FullName,
                RawImageScale = scaleOptions,
                DegenerateRange = parse.GetValue(degenerate) == "global-min" ? DegenerateRangePolicy.UseGlobalMinimum : DegenerateRangePolicy.Refuse,
                RegionCoreFraction = parse.GetValue(regionCore),
                CropEveryRegion = parse.GetValue(crops) == "per-region",
                MinCropSize = parse.GetValue(minCropSize),
                TokenCoverage = parse.GetValue(tokenCoverage),
                TokenContrast = parse.GetValue(tokenContrast),
                ErodeKernelSize = parse.GetValue(erodeKernel),
                RegionRule = parse.GetValue(regionRule) switch { "persistent-peaks" => RegionRule.PersistentPeaks, "stable-count" => RegionRule.StableCount, _ => null },
                Peaks = new PeakRegionOptions { MinPersistence = parse.GetValue(peakPersistence), MinProminence = parse.GetValue(peakProminence), CutFraction = parse.GetValue(peakCut) },
                NovelClasses = novelClasses,
                ClassCountFeatures = parse.GetValue(estimateOn) == "frozen" ? ClassCountFeatures.FrozenTokens : ClassCountFeatures.Learnt,
                Protocol = parse.GetValue(protocol) == "inductive" ? DiscoveryProtocol.Inductive : DiscoveryProtocol.Transductive,
                MergeTemperature = parse.GetValue(mergeTemperature),
                PredictionViews = parse.GetValue(predictViews) switch { "all" => PredictionViews.All, "test" => PredictionViews.Test, _ => null },
                BaseSetUse = parse.GetValue(baseUse) == "always" ? BaseSetUse.Always : BaseSetUse.Auto,
                Threads = parse.GetValue(threads),
                ResumeFrom = parse.GetValue(resume)?.FullName,
                EmbeddingsPath = parse.GetValue(embeddings)?.FullName,
                Backbone = backboneName,
                BackboneWeights = weightsPath,
                Training = new()
                {
                    Epochs = parse.GetValue(epochs), Seed = parse.GetValue(seed), HeadInit = parse.GetValue(headInit) == "kmeans" ? HeadInitialisation.KMeans : HeadInitialisation.Random,
                    SplitIntoEmptyClasses = parse.GetValue(emptyClasses) == "split",
                    Objective = new()
                    {
                        TeacherTargets = parse.GetValue(teacher) == "sinkhorn" ? TeacherTargets.Sinkhorn : TeacherTargets.Softmax,
                        RegionlessCropsCountAsNormal = parse.GetValue(regionless) == "normal",
                    },
                },
            };
            options.Training.Validate();
            options.RawImageScale.Validate();
            RegionExtractionOptions.ValidateCoreFraction(options.RegionCoreFraction);
            CropOptions.ValidateMinCropSize(options.MinCropSize);
            TokenCoverage.Validate(options.TokenCoverage);
            TokenContrast.Validate(options.EffectiveTokenContrast);
            MebinOptions.ValidateErodeKernelSize(options.ErodeKernelSize);
            options.Peaks.Validate();

            var clock = Stopwatch.StartNew();
            using var outFolder = new OutputFolder(parse.GetValue(output)!.FullName);
            var result = await ProgressRunner.RunAsync(context, progress =>
                Task.Run(() => DiscoveryPipeline.Run(manifestPath, parse.GetValue(baseSet)?.FullName, outFolder.Staging, options, progress, cancel), cancel));
            outFolder.Commit();
            Report(context.Out, result, outFolder.Target, clock.Elapsed);
            return AnomalyNcdCli.ExitOk;
        });
        return command;
    }

    private static void Report(TextWriter output, DiscoveryResult result, string folder, TimeSpan elapsed)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine();
        output.WriteLine(string.Create(c, $"discovered {result.NovelClasses.Count} classes ({result.ClassCountSource}) among {result.Crops} regions of {result.Images} images; base set: {BaseSetText(result)}"));
        if (result.ImageMetrics is { } m)
        {
            var scope = result.Protocol == DiscoveryProtocol.Inductive ? $"held-out half, {result.EvaluatedImages} images" : $"{result.EvaluatedImages} images";
            output.WriteLine(string.Create(c, $"image level ({scope}): NMI {m.Nmi:0.000}  ARI {m.Ari:0.000}  F1 (matched accuracy) {m.F1:0.000}  macro-F1 {m.MacroF1:0.000}"));
            if (result.RegionMetrics is { } r)
            {
                output.WriteLine(string.Create(c, $"region level: NMI {r.Nmi:0.000}  ARI {r.Ari:0.000}  F1 {r.F1:0.000}"));
            }

            if (result.DefectiveImageMetrics is { } d)
            {
                output.WriteLine(string.Create(c, $"defective images only ({d.N}, the kinds apart): NMI {d.Nmi:0.000}  ARI {d.Ari:0.000}  F1 {d.F1:0.000}"));
            }

            output.WriteLine("class mapping (discovered → best matching true class):");
            foreach (var a in m.Mapping)
            {
                output.WriteLine($"  {a.Cluster,-10} → {a.MatchedClass ?? "(unmatched)",-14} {a.Size} images");
            }
        }

        if (result.Binarization is { } b)
        {
            output.WriteLine(string.Create(c, $"binarisation vs ground-truth masks (box IoU > 0.1): FNR {b.FalseNegativeRate:0.000} ({b.MissedGroundTruth}/{b.GroundTruthBoxes} regions missed), FPR {b.FalsePositiveRate:0.000} ({b.FalsePositives}/{b.PredictedBoxes} predicted regions match none)"));
        }

        if (result.Lines is { Count: > 0 } lines && lines.Sum(l => l.LabelledDefectiveImages) > 0)
        {
            var normal = lines.Sum(l => l.Images - l.LabelledDefectiveImages);
            output.WriteLine(string.Create(c, $"images with a region: {lines.Sum(l => l.DefectiveImagesWithRegions)}/{lines.Sum(l => l.LabelledDefectiveImages)} defective, {lines.Sum(l => l.NormalImagesWithRegions)}/{normal} normal; {lines.Sum(l => l.Crops)} crops"));
        }

        output.WriteLine(string.Join("; ", result.StageTimes.Select(kv => string.Create(c, $"{kv.Key} {kv.Value.TotalSeconds:0.0} s"))) + string.Create(c, $"; total {elapsed.TotalSeconds:0.0} s"));
        output.WriteLine($"wrote {Path.Combine(folder, "images.csv")}, regions.csv, {(result.ImageMetrics is null ? "" : "metrics.json, ")}model/ (checkpoint + model card)");
    }

    private static string BaseSetText(DiscoveryResult result) => result.BaseSetRelevance switch
    {
        { Relevant: false } g => $"{g.Verdict}; --base-use always trains with it",
        _ when result.BaseClasses.Count == 0 => "none",
        var g => $"{result.BaseCrops} crops of {string.Join(", ", result.BaseClasses)}" + (g is null ? "" : $", {g.Verdict}"),
    };
}
