using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Datasets;
using AnomalyNcd.Core.Detection;
using AnomalyNcd.Core.Maps;
using AnomalyNcd.Core.Extraction;
using AnomalyNcd.Core.Features;
using AnomalyNcd.Core.Metrics;

namespace AnomalyNcd.Cli.Commands;

/// <summary>
/// <c>anomalyncd detect fit|score|quality|oracle</c>: the built-in PatchCore anomaly detector (timed by <c>bench detect</c>). Score writes one 32-bit float
/// TIFF per image to <c>MAPS/maps/</c>, named by the image's manifest path with '/' → "__" plus ".tiff"
/// (see <see cref="DetectorManifest.MapRelativePaths"/>), and <c>MAPS/scores.csv</c> (image,score,label) last.
/// </summary>
internal static class DetectCommand
{
    public static Command Create(CliContext context)
    {
        var detect = new Command("detect", "Built-in anomaly detector (PatchCore on ResNet18 features): fit on normal images, score maps.");
        detect.Subcommands.Add(CreateFit(context));
        detect.Subcommands.Add(CreateScore(context));
        detect.Subcommands.Add(CreateMovedBench(context));
        detect.Subcommands.Add(DetectMapsCommands.CreateQuality(context));
        detect.Subcommands.Add(DetectMapsCommands.CreateOracle(context));
        return detect;
    }

    private static Command CreateFit(CliContext context)
    {
        var manifest = new Option<FileInfo>("--manifest") { Description = "Manifest; rows of split 'train' with a normal label (good/normal/ok/MT_Free) are fitted on.", Required = true };
        var line = new Option<string?>("--line") { Description = "Fit on this product line only (recorded in the detector)." };
        var output = new Option<DirectoryInfo>("--out") { Description = "Detector folder: detector.json and bank.f32.", Required = true };
        var coreset = new Option<double>("--coreset") { Description = "Share of training patches kept in the memory bank (default 1 %: fitting on MTD's 761 normal images took 205 s on 2 cores).", DefaultValueFactory = _ => 0.01 };
        var seed = new Option<int>("--seed") { Description = "Seed of the random projection and the first coreset centre.", DefaultValueFactory = _ => 0 };
        var precision = PrecisionOption("Backbone arithmetic: fp32, or int8 (ResNet18 quantised from activation ranges calibrated on the line's normal training images; recorded in the detector).");
        var calibration = new Option<int>("--calibration-images") { Description = "With --precision int8: normal training images (evenly spaced) whose activation ranges calibrate the quantisation.", DefaultValueFactory = _ => PatchCoreOptions.DefaultCalibrationImages };
        var calibrationNormals = new Option<int>("--calibration-normals") { Description = "Normal training images (evenly spaced) scored leave-one-out for the normal calibration: half give the position reference and spread, half the score statistics.", DefaultValueFactory = _ => PatchCoreOptions.DefaultCalibrationNormals };
        var layout = new Option<string>("--layout") { Description = "How images become 224² backbone inputs: squash (resized, aspect ratio not kept) or tiles (shorter side 224, aspect ratio kept, overlapping tiles).", DefaultValueFactory = _ => PatchCoreOptions.DefaultLayout.Name() };
        layout.AcceptOnlyFromAmong("squash", "tiles");
        var command = new Command("fit", "Fit a PatchCore memory bank on the normal training images of a manifest, and its normal calibration (held-out scores).") { manifest, line, output, coreset, seed, precision, calibration, calibrationNormals, layout };
        command.SetAction(async (parse, cancel) =>
        {
            var manifestPath = parse.GetValue(manifest)!.FullName;
            var lineName = parse.GetValue(line);
            var options = new PatchCoreOptions(CoresetFraction: parse.GetValue(coreset), Seed: parse.GetValue(seed), Precision: BackbonePrecisionNames.Parse(parse.GetValue(precision), "--precision"), CalibrationImages: parse.GetValue(calibration), CalibrationNormals: parse.GetValue(calibrationNormals), Layout: PatchLayoutNames.Parse(parse.GetValue(layout), "--layout"));
            options.Validate();
            var loaded = Manifest.Load(manifestPath);
            var rows = DetectorManifest.TrainingRows(loaded, lineName);
            if (rows.Count == 0)
            {
                throw new InvalidInputException(manifestPath, $"no rows of split 'train' with a normal label{(lineName is null ? "" : $" in line '{lineName}'")}: nothing to fit on");
            }

            var watch = Stopwatch.StartNew();
            var normals = rows.Select(r => loaded.Resolve(r.Image)).ToList();
            using var extractor = await Task.Run(() => PatchFeatureExtractor.ForFitting(normals, options), cancel);
            using var detector = await ProgressRunner.RunAsync(context, progress =>
                Task.Run(() => PatchCoreDetector.Fit(normals, lineName, extractor, options, progress, cancel), cancel));
            var target = parse.GetValue(output)!.FullName;
            if (File.Exists(target))
            {
                throw new InvalidInputException(target, "output path is a file, expected a folder");
            }

            detector.Save(target);
            var m = detector.Metadata;
            context.Out.WriteLine($"fitted on {m.FittedImages} images ({m.TrainingPatches} patches, {m.Precision} backbone, {m.Layout} layout), bank of {m.BankSize} × {m.Dimension} in {watch.Elapsed.TotalSeconds:F1} s");
            context.Out.WriteLine(detector.Calibration is { } normal ? $"normal calibration: {normal}" : "normal calibration: none (needs at least two training images)");
            context.Out.WriteLine($"wrote {Path.Combine(target, PatchCoreDetector.MetadataFileName)}");
            return AnomalyNcdCli.ExitOk;
        });
        return command;
    }

    private static Command CreateScore(CliContext context)
    {
        var detectorOption = new Option<DirectoryInfo>("--detector") { Description = "Detector folder written by 'detect fit'.", Required = true };
        var manifest = new Option<FileInfo>("--manifest") { Description = "Manifest of the images to score.", Required = true };
        var split = new Option<string>("--split") { Description = "Score rows of this split; 'all' for every row.", DefaultValueFactory = _ => "test" };
        var line = new Option<string?>("--line") { Description = "Line to score; the detector must have been fitted on it (default: the detector's line)." };
        var output = new Option<DirectoryInfo>("--out") { Description = "Output folder: maps/*.tiff (float32) and scores.csv.", Required = true };
        var command = new Command("score", "Score images with a fitted detector: float anomaly maps and image scores (prints AUROC/AUPRO when labels and masks allow).")
        {
            detectorOption, manifest, split, line, output,
        };
        command.SetAction(async (parse, cancel) =>
        {
            var requestedLine = parse.GetValue(line);
            using var detector = PatchCoreDetector.Load(parse.GetValue(detectorOption)!.FullName, requestedLine);
            var manifestPath = parse.GetValue(manifest)!.FullName;
            var loaded = Manifest.Load(manifestPath);
            var splitName = parse.GetValue(split);
            var rows = DetectorManifest.ScoringRows(loaded, splitName == "all" ? null : splitName, requestedLine ?? detector.Metadata.Line);
            if (rows.Count == 0)
            {
                throw new InvalidInputException(manifestPath, $"no rows of split '{splitName}'{(detector.Metadata.Line is null ? "" : $" in line '{requestedLine ?? detector.Metadata.Line}'")} to score");
            }

            var watch = Stopwatch.StartNew();
            using var outFolder = new OutputFolder(parse.GetValue(output)!.FullName);
            Directory.CreateDirectory(outFolder.StagingPath("maps"));
            var mapPaths = DetectorManifest.MapRelativePaths(rows, manifestPath);
            var scores = new float[rows.Count];
            var evaluation = new PixelAuproAccumulator(rows.Count);
            using var extractor = PatchFeatureExtractor.ForDetector(detector.Metadata);
            await ProgressRunner.RunAsync(context, progress => Task.Run(() =>
                detector.Score(rows.Select(r => loaded.Resolve(r.Image)).ToList(), extractor, (i, map) =>
                {
                    scores[i] = map.Score;
                    AnomalyMapFile.Write(outFolder.StagingPath("maps", mapPaths[i]), new FloatMap(map.Width, map.Height, map.Values), AnomalyMapFormat.FloatTiff);
                    evaluation.Add(i, map.Values, map.Width, rows[i], loaded);
                }, progress, cancel), cancel));

            var csv = new StringBuilder("image,score,label\n");
            for (var i = 0; i < rows.Count; i++)
            {
                csv.Append(CsvTable.Join([rows[i].Image, scores[i].ToString("R", CultureInfo.InvariantCulture), rows[i].Label])).Append('\n');
            }

            File.WriteAllText(outFolder.StagingPath("scores.csv"), csv.ToString());
            outFolder.Commit();
            context.Out.WriteLine($"scored {rows.Count} images in {watch.Elapsed.TotalSeconds:F1} s; wrote {Path.Combine(outFolder.Target, "scores.csv")} and maps/");

            var labelled = rows.All(r => r.Label is not null);
            if (labelled)
            {
                var auroc = Auroc.Compute(scores.Select(s => (double)s).ToList(), rows.Select(r => !ManifestRegionExtractor.IsNormalLabel(r.Label!)).ToList());
                if (!double.IsNaN(auroc))
                {
                    context.Out.WriteLine($"image AUROC: {auroc.ToString("F4", CultureInfo.InvariantCulture)}");
                }
            }

            var aupro = evaluation.Compute();
            if (aupro is { } value && !double.IsNaN(value))
            {
                context.Out.WriteLine($"pixel AUPRO@0.3: {value.ToString("F4", CultureInfo.InvariantCulture)}");
            }

            return AnomalyNcdCli.ExitOk;
        });
        return command;
    }

    /// <summary><c>detect bench</c> moved to <c>bench detect</c>: the old spelling names the new one and fails.</summary>
    private static Command CreateMovedBench(CliContext context)
    {
        var command = new Command("bench", "Moved: use 'anomalyncd bench detect'.") { Hidden = true, TreatUnmatchedTokensAsErrors = false };
        command.SetAction(_ =>
        {
            context.Error.WriteLine("error: 'detect bench' is now 'bench detect' (same options): anomalyncd bench detect --help");
            return AnomalyNcdCli.ExitInvalidInput;
        });
        return command;
    }

    internal static Option<string> PrecisionOption(string description) =>
        new("--precision") { Description = description, DefaultValueFactory = _ => PatchCoreOptions.DefaultPrecision.Name() };
}
