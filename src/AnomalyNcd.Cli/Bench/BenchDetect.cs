using System.Diagnostics;
using System.Globalization;
using AnomalyNcd.Core.Datasets;
using AnomalyNcd.Core.Detection;
using AnomalyNcd.Core.Diagnostics;
using AnomalyNcd.Core.Extraction;
using AnomalyNcd.Core.Features;
using AnomalyNcd.Core.Maps;
using AnomalyNcd.Core.Synthetic;

namespace AnomalyNcd.Cli.Bench;

/// <summary>
/// <c>anomalyncd bench detect</c>: milliseconds per 256×256 image of the PatchCore detector on one core (features,
/// nearest neighbours, map) after warm-up, the previous and the current nearest-neighbour search taking turns, with
/// a per-stage breakdown and the three searches compared on the same patches.
/// </summary>
internal static class BenchDetect
{
    /// <param name="detector">Detector folder to time; null fits one on generated 256² normals with <paramref name="precision"/>.</param>
    public static int Run(CliContext context, string? detector, int count, int warmUpCount, string? precision)
    {
        var temp = Path.Combine(Path.GetTempPath(), $"anomalyncd-bench-{Guid.NewGuid():N}");
        try
        {
            var data = SyntheticDatasetWriter.Write(new SyntheticOptions(Lines: 1, ImagesPerLine: count + warmUpCount + 10, Size: 256, NormalFraction: 0.5), temp);
            var manifestRows = Manifest.Load(data.ManifestPath);
            var paths = manifestRows.Rows.Select(r => manifestRows.Resolve(r.Image)).ToList();
            TorchSharp.torch.set_num_threads(1);
            var detectorPath = detector;
            if (detectorPath is null)
            {
                detectorPath = Path.Combine(temp, "detector");
                var normals = DetectorManifest.TrainingRows(manifestRows, null).Select(r => manifestRows.Resolve(r.Image)).ToList();
                var fitOptions = new PatchCoreOptions(MaxDegreeOfParallelism: 1, Precision: BackbonePrecisionNames.Parse(precision, "--precision"));
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
    }

    private static PatchFeatureExtractor ExtractorFor(string detectorPath)
    {
        using var detector = PatchCoreDetector.Load(detectorPath);
        return PatchFeatureExtractor.ForDetector(detector.Metadata);
    }

    /// <summary>
    /// Warm-up images of the bench: with one, the first timed images still ran partly unoptimised code and the
    /// runtime's background compiler competed for the core (measured: the nearest-neighbour search took twice its
    /// steady-state time in the image loop).
    /// </summary>
    internal const int DefaultWarmUpImages = 5;

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
}
