using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Datasets;
using AnomalyNcd.Core.Detection;
using AnomalyNcd.Core.Diagnostics;
using AnomalyNcd.Core.Maps;
using AnomalyNcd.Core.Extraction;
using AnomalyNcd.Core.Features;
using AnomalyNcd.Core.Imaging;
using AnomalyNcd.Core.Metrics;
using AnomalyNcd.Core.Synthetic;
using OpenCvSharp;

namespace AnomalyNcd.Cli.Commands;

/// <summary>
/// <c>anomalyncd detect fit|score|bench</c>: the built-in PatchCore anomaly detector. Score writes one 32-bit float
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
        detect.Subcommands.Add(CreateBench(context));
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
        var layout = new Option<string>("--layout") { Description = "How images become 224² backbone inputs: squash (resized, aspect ratio not kept) or tiles (shorter side 224, aspect ratio kept, overlapping tiles).", DefaultValueFactory = _ => PatchCoreOptions.DefaultLayout.Name() };
        layout.AcceptOnlyFromAmong("squash", "tiles");
        var command = new Command("fit", "Fit a PatchCore memory bank on the normal training images of a manifest, and its normal calibration (held-out scores).") { manifest, line, output, coreset, seed, precision, calibration, layout };
        command.SetAction(async (parse, cancel) =>
        {
            var manifestPath = parse.GetValue(manifest)!.FullName;
            var lineName = parse.GetValue(line);
            var options = new PatchCoreOptions(CoresetFraction: parse.GetValue(coreset), Seed: parse.GetValue(seed), Precision: BackbonePrecisionNames.Parse(parse.GetValue(precision), "--precision"), CalibrationImages: parse.GetValue(calibration), Layout: PatchLayoutNames.Parse(parse.GetValue(layout), "--layout"));
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
            var evaluation = new PixelEvaluation(rows.Count);
            using var extractor = PatchFeatureExtractor.ForDetector(detector.Metadata);
            await ProgressRunner.RunAsync(context, progress => Task.Run(() =>
                detector.Score(rows.Select(r => loaded.Resolve(r.Image)).ToList(), extractor, (i, map) =>
                {
                    scores[i] = map.Score;
                    AnomalyMapFile.Write(outFolder.StagingPath("maps", mapPaths[i]), new FloatMap(map.Width, map.Height, map.Values), AnomalyMapFormat.FloatTiff);
                    evaluation.Add(i, map, rows[i], loaded);
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

            var aupro = evaluation.Aupro();
            if (aupro is { } value && !double.IsNaN(value))
            {
                context.Out.WriteLine($"pixel AUPRO@0.3: {value.ToString("F4", CultureInfo.InvariantCulture)}");
            }

            return AnomalyNcdCli.ExitOk;
        });
        return command;
    }

    private static Command CreateBench(CliContext context)
    {
        var detectorOption = new Option<DirectoryInfo?>("--detector") { Description = "Detector to time (default: one fitted on generated 256² normals)." };
        var images = new Option<int>("--images") { Description = "Timed images (after the warm-up images).", DefaultValueFactory = _ => 8 };
        var warmUp = new Option<int>("--warmup") { Description = "Images scored before timing, so that the runtime has compiled the scoring code optimised (its tiered compilation starts every method unoptimised).", DefaultValueFactory = _ => DefaultWarmUpImages };
        var precision = PrecisionOption("Backbone of the detector fitted on generated normals when --detector is not given (a given detector uses its own).");
        var command = new Command("bench", "Milliseconds per 256×256 image on one core (features, nearest neighbours, map) after warm-up.") { detectorOption, images, warmUp, precision };
        command.SetAction(parse =>
        {
            var count = parse.GetValue(images);
            if (count < 1)
            {
                throw new InvalidInputException("--images", $"must be at least 1, got {count}");
            }

            var warmUpCount = parse.GetValue(warmUp);
            if (warmUpCount < 1)
            {
                throw new InvalidInputException("--warmup", $"must be at least 1, got {warmUpCount}");
            }

            var temp = Path.Combine(Path.GetTempPath(), $"anomalyncd-bench-{Guid.NewGuid():N}");
            try
            {
                var data = SyntheticDatasetWriter.Write(new SyntheticOptions(Lines: 1, ImagesPerLine: count + warmUpCount + 10, Size: 256, NormalFraction: 0.5), temp);
                var manifestRows = Manifest.Load(data.ManifestPath);
                var paths = manifestRows.Rows.Select(r => manifestRows.Resolve(r.Image)).ToList();
                TorchSharp.torch.set_num_threads(1);
                var detectorPath = parse.GetValue(detectorOption)?.FullName;
                if (detectorPath is null)
                {
                    detectorPath = Path.Combine(temp, "detector");
                    var normals = DetectorManifest.TrainingRows(manifestRows, null).Select(r => manifestRows.Resolve(r.Image)).ToList();
                    var fitOptions = new PatchCoreOptions(MaxDegreeOfParallelism: 1, Precision: BackbonePrecisionNames.Parse(parse.GetValue(precision), "--precision"));
                    using var fitExtractor = PatchFeatureExtractor.ForFitting(normals, fitOptions);
                    using var fitted = PatchCoreDetector.Fit(normals, null, fitExtractor, fitOptions);
                    fitted.Save(detectorPath);
                }

                using var extractor = ExtractorFor(detectorPath);
                context.Out.WriteLine($"backbone precision: {extractor.Precision.Name()}");

                var mapFile = Path.Combine(temp, "bench-map.tiff");
                // The previous default and the current one take turns image by image, so both see the same load of
                // this shared machine; each is warmed up first so the runtime has compiled its code optimised.
                var modes = new[] { NearestNeighbourMode.Shortlist, NearestNeighbourMode.BlockedShortlist };
                var detectors = modes.Select(mode => PatchCoreDetector.Load(detectorPath, null, mode)).ToList();
                var results = new List<(NearestNeighbourMode Mode, double Ms, double CpuMs, float[] Scores)>();
                try
                {
                    // One reader; each image's stages are moved into its search's totals right after it is scored.
                    using var stages = new StageReader(ScoringMetrics.Stages);
                    var timings = modes.Select(_ => new Dictionary<string, TimeSpan>(StringComparer.Ordinal)).ToArray();
                    for (var w = 0; w < warmUpCount; w++)
                    {
                        for (var m = 0; m < modes.Length; m++)
                        {
                            ScoreTimed(detectors[m], extractor, paths[w], mapFile, stages, timings[m]);
                        }
                    }

                    var wall = new double[modes.Length];
                    var cpu = new double[modes.Length];
                    var fastest = modes.Select(_ => double.MaxValue).ToArray();
                    var fastestCpu = modes.Select(_ => double.MaxValue).ToArray();
                    var scores = modes.Select(_ => new float[count]).ToArray();
                    foreach (var t in timings)
                    {
                        t.Clear();
                    }

                    for (var i = 0; i < count; i++)
                    {
                        for (var m = 0; m < modes.Length; m++)
                        {
                            var cpuStart = ThreadCpuMilliseconds();
                            var start = Stopwatch.GetTimestamp();
                            scores[m][i] = ScoreTimed(detectors[m], extractor, paths[warmUpCount + i], mapFile, stages, timings[m]).Score;
                            var ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                            var cpuMs = ThreadCpuMilliseconds() - cpuStart;
                            wall[m] += ms;
                            cpu[m] += cpuMs;
                            fastest[m] = Math.Min(fastest[m], ms);
                            fastestCpu[m] = Math.Min(fastestCpu[m], cpuMs);
                        }
                    }

                    for (var m = 0; m < modes.Length; m++)
                    {
                        var ms = wall[m] / count;
                        var cpuMs = cpu[m] / count;
                        results.Add((modes[m], ms, cpuMs, scores[m]));
                        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"{modes[m]} search: {ms:F1} ms per 256×256 image on one core (bank {detectors[m].Metadata.BankSize} × {detectors[m].Metadata.Dimension}, {count} images after {warmUpCount} warm-up, taking turns with the other search; scoring-thread CPU {cpuMs:F1} ms per image)"));
                        // On a shared machine the fastest image is the one least disturbed by other processes; thread CPU
                        // leaves out the time other processes hold the core.
                        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  fastest image {fastest[m]:F1} ms wall, {fastestCpu[m]:F1} ms thread CPU"));
                        WriteBreakdown(context.Out, timings[m], count);
                    }
                }
                finally
                {
                    detectors.ForEach(d => d.Dispose());
                }

                var previous = results[0];
                var current = results[1];
                var largestChange = previous.Scores.Zip(current.Scores, (a, b) => Math.Abs(a - b) / Math.Max(Math.Abs(a), 1e-12f)).Max();
                var met = current.Ms <= TargetMilliseconds;
                context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"optimised (blocked shortlist) {current.Ms:F1} ms vs previous (shortlist) {previous.Ms:F1} ms per image: {previous.Ms / current.Ms:F2}× faster; largest relative image-score change {largestChange:G3}"));
                WriteSearchComparison(context.Out, detectorPath, extractor, paths.Skip(warmUpCount).Take(count).ToList());
                context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"target ≤ {TargetMilliseconds} ms per 256×256 image on one core: {(met ? "met" : "NOT met")} ({current.Ms:F1} ms wall, {current.CpuMs:F1} ms scoring-thread CPU)"));

                return AnomalyNcdCli.ExitOk;
            }
            finally
            {
                if (Directory.Exists(temp))
                {
                    Directory.Delete(temp, recursive: true);
                }
            }
        });
        return command;
    }

    private static PatchFeatureExtractor ExtractorFor(string detectorPath)
    {
        using var detector = PatchCoreDetector.Load(detectorPath);
        return PatchFeatureExtractor.ForDetector(detector.Metadata);
    }

    private static Option<string> PrecisionOption(string description) =>
        new("--precision") { Description = description, DefaultValueFactory = _ => PatchCoreOptions.DefaultPrecision.Name() };

    /// <summary>
    /// Warm-up images of the bench: with one, the first timed images still ran partly unoptimised code and the
    /// runtime's background compiler competed for the core (measured: the nearest-neighbour search took twice its
    /// steady-state time in the image loop).
    /// </summary>
    private const int DefaultWarmUpImages = 5;

    /// <summary>Issue 4's latency target for one 256×256 image on one core.</summary>
    private const double TargetMilliseconds = 50;

    private static AnomalyMap ScoreTimed(PatchCoreDetector detector, PatchFeatureExtractor extractor, string image, string mapFile, StageReader stages, Dictionary<string, TimeSpan> timings)
    {
        stages.Reset();
        var map = detector.ScoreImage(image, extractor);
        using (ScoringMetrics.Measure(ScoringStage.Write))
        {
            AnomalyMapFile.Write(mapFile, new FloatMap(map.Width, map.Height, map.Values), AnomalyMapFormat.FloatTiff);
        }

        foreach (var (stage, _, total) in stages.Snapshot())
        {
            timings[stage] = timings.GetValueOrDefault(stage) + total;
        }

        return map;
    }

    /// <summary>
    /// The three searches over the same patches in the same process, interleaved per image and repeated, so their
    /// ratio does not depend on the machine's load as much as whole-image wall times do; also each search's largest
    /// relative distance difference from the exact one.
    /// </summary>
    private static void WriteSearchComparison(TextWriter output, string detectorPath, PatchFeatureExtractor extractor, IReadOnlyList<string> images)
    {
        const int repeats = 3;
        var patches = images.Select(path => extractor.ExtractFile(path).Patches).ToList();
        var modes = new[] { NearestNeighbourMode.Exact, NearestNeighbourMode.Shortlist, NearestNeighbourMode.BlockedShortlist };
        var searches = modes.Select(mode => PatchCoreDetector.Load(detectorPath, null, mode)).ToList();
        try
        {
            var ticks = new long[modes.Length];
            var cpu = new double[modes.Length];
            var distances = new float[modes.Length][][];
            for (var m = 0; m < modes.Length; m++)
            {
                distances[m] = new float[patches.Count][];
                searches[m].SearchDistances(patches[0]); // warm-up
            }

            for (var r = 0; r < repeats; r++)
            {
                for (var i = 0; i < patches.Count; i++)
                {
                    for (var m = 0; m < modes.Length; m++)
                    {
                        var cpuStart = ThreadCpuMilliseconds();
                        var start = Stopwatch.GetTimestamp();
                        distances[m][i] = searches[m].SearchDistances(patches[i]);
                        ticks[m] += Stopwatch.GetTimestamp() - start;
                        cpu[m] += ThreadCpuMilliseconds() - cpuStart;
                    }
                }
            }

            var perImage = ticks.Select(t => t * 1000.0 / Stopwatch.Frequency / (repeats * patches.Count)).ToArray();
            var cpuPerImage = cpu.Select(c => c / (repeats * patches.Count)).ToArray();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"nearest-neighbour search alone, same {patches.Count} images' patches, interleaved, {repeats} repeats (ms per image):"));
            for (var m = 0; m < modes.Length; m++)
            {
                var largest = 0.0;
                for (var i = 0; i < patches.Count; i++)
                {
                    for (var q = 0; q < distances[m][i].Length; q++)
                    {
                        var exact = distances[0][i][q];
                        largest = Math.Max(largest, Math.Abs(distances[m][i][q] - exact) / Math.Max(exact, 1e-12f));
                    }
                }

                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {modes[m],-16} {perImage[m],8:F2} ms wall, {cpuPerImage[m],8:F2} ms thread CPU  ({cpuPerImage[0] / cpuPerImage[m]:F2}× exact by CPU)  largest relative distance difference from exact {largest:G3}"));
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  search ratio, same patches and run: blocked shortlist {perImage[1] / perImage[2]:F2}× (wall) / {cpuPerImage[1] / cpuPerImage[2]:F2}× (thread CPU) faster than the previous shortlist, {perImage[0] / perImage[2]:F2}× / {cpuPerImage[0] / cpuPerImage[2]:F2}× faster than exact"));
        }
        finally
        {
            searches.ForEach(s => s.Dispose());
        }
    }

    /// <summary>CPU time of the calling thread (Linux clock_gettime); NaN elsewhere. Unlike wall time it excludes the
    /// time other processes hold the core, which on a shared machine dominates wall-time differences.</summary>
    private static double ThreadCpuMilliseconds() =>
        OperatingSystem.IsLinux() && ClockGetTime(ThreadCpuClock, out var time) == 0 ? time.Seconds * 1e3 + time.Nanoseconds / 1e6 : double.NaN;

    private const int ThreadCpuClock = 3; // CLOCK_THREAD_CPUTIME_ID

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out Timespec time);

    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    /// <summary>Per-stage milliseconds per image and each stage's share of the summed stage time.</summary>
    private static void WriteBreakdown(TextWriter output, Dictionary<string, TimeSpan> timings, int images)
    {
        var total = timings.Values.Sum(t => t.TotalMilliseconds);
        output.WriteLine("  stage              ms/image   share");
        foreach (var stage in Enum.GetValues<ScoringStage>())
        {
            var stageMs = timings.GetValueOrDefault(ScoringMetrics.StageName(stage)).TotalMilliseconds;
            var ms = stageMs / images;
            var share = total > 0 ? stageMs / total : 0;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {stage,-18} {ms,8:F2}  {share,6:P1}"));
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {"total",-18} {total / images,8:F2}  {1,6:P1}"));
    }

    /// <summary>Collects maps and masks for pixel AUPRO when the scored rows have masks (normal rows without one count as all normal).</summary>
    private sealed class PixelEvaluation(int count)
    {
        private readonly float[][] maps = new float[count][];
        private readonly byte[][] masks = new byte[count][];
        private readonly int[] widths = new int[count];
        private bool missingMask;

        public void Add(int index, AnomalyMap map, ManifestRow row, Manifest manifest)
        {
            if (row.Mask is null && (row.Label is null || !ManifestRegionExtractor.IsNormalLabel(row.Label)))
            {
                missingMask = true;
                return;
            }

            var mask = row.Mask is null ? new byte[map.Values.Length] : ReadMask(manifest.Resolve(row.Mask), map);
            maps[index] = map.Values;
            masks[index] = mask;
            widths[index] = map.Width;
        }

        public double? Aupro() => missingMask || maps.Any(m => m is null) ? null : Core.Metrics.Aupro.Compute(maps, masks, widths);

        private static byte[] ReadMask(string path, AnomalyMap map)
        {
            var mask = ImageFiles.ReadGray(path);
            if (mask.Width == map.Width && mask.Height == map.Height)
            {
                return mask.Pixels;
            }

            // Masks of another size are resized to the map with nearest neighbour.
            using var source = mask.ToMat();
            using var resized = new Mat();
            Cv2.Resize(source, resized, new Size(map.Width, map.Height), interpolation: InterpolationFlags.Nearest);
            return GrayImage.FromMat(resized).Pixels;
        }
    }
}
