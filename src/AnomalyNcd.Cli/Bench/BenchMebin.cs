using System.Diagnostics;
using System.Globalization;
using AnomalyNcd.Core.Binarization;
using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Imaging;

namespace AnomalyNcd.Cli.Bench;

/// <summary>The MEBin benchmark: both implementations on the same generated maps in the same run.</summary>
internal static class BenchMebin
{
    private const int Seed = 20250611;

    public static IReadOnlyList<(int Width, int Height)> ParseSizes(string text)
    {
        var sizes = new List<(int, int)>();
        foreach (var token in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = token.Split('x', 'X');
            if (parts.Length is < 1 or > 2
                || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var width)
                || !int.TryParse(parts[^1], NumberStyles.None, CultureInfo.InvariantCulture, out var height)
                || width is < 1 or > 8192 || height is < 1 or > 8192)
            {
                throw new InvalidInputException("--sizes", $"'{token}' is not a size (N or WxH, 1..8192)");
            }

            sizes.Add((width, height));
        }

        if (sizes.Count == 0)
        {
            throw new InvalidInputException("--sizes", "no size given");
        }

        return sizes;
    }

    /// <summary>Prints one line per size and thread setting; false when the two paths disagree.</summary>
    public static bool Run(CliContext context, IReadOnlyList<(int Width, int Height)> sizes, int mapCount, int repeats)
    {
        // OpenCV's own worker threads would blur "1 thread" and oversubscribe the parallel runs over maps
        var openCvThreads = OpenCvSharp.Cv2.GetNumThreads();
        OpenCvSharp.Cv2.SetNumThreads(1);
        try
        {
            return RunAll(context, sizes, mapCount, repeats);
        }
        finally
        {
            OpenCvSharp.Cv2.SetNumThreads(openCvThreads);
        }
    }

    private static bool RunAll(CliContext context, IReadOnlyList<(int Width, int Height)> sizes, int mapCount, int repeats)
    {
        var cores = Environment.ProcessorCount;
        context.Out.WriteLine($"MEBin benchmark: {mapCount} detector-like maps per size (seed {Seed}), {repeats} passes, per-map mean time, OpenCV single-threaded");
        foreach (var (width, height) in sizes)
        {
            var random = new Random(Seed + (width * 8193) + height);
            var maps = Enumerable.Range(0, mapCount).Select(_ => SyntheticAnomalyMaps.DetectorLike(random, width, height)).ToList();
            var range = MebinRange.FromMaps(maps, DegenerateRangePolicy.UseGlobalMinimum, $"{width}x{height} benchmark maps");

            // warm-up (JIT, OpenCV initialisation), not timed
            MebinReference.Binarize(maps[0], range);
            foreach (var map in maps)
            {
                MebinFast.Binarize(map, range);
            }

            var settings = cores > 1 ? new[] { 1, cores } : [1];
            foreach (var threads in settings)
            {
                var (referenceMs, referenceResults) = Time(maps, range, MebinImplementation.Reference, threads, repeats);
                var (fastMs, fastResults) = Time(maps, range, MebinImplementation.Fast, threads, repeats);
                var disagreement = FirstDisagreement(referenceResults, fastResults);
                if (disagreement is not null)
                {
                    context.Error.WriteLine($"error: {width}x{height} map {disagreement}: fast and reference MEBin disagree");
                    return false;
                }

                var threadLabel = threads == 1 ? "1 thread" : $"{threads} threads";
                context.Out.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{width}x{height} {threadLabel}: reference {referenceMs:F1} ms, fast {fastMs:F1} ms, {referenceMs / Math.Max(fastMs, 1e-6):F1}x"));
            }
        }

        return true;
    }

    /// <summary>Per-map mean wall time over all passes, and the results of the last pass.</summary>
    private static (double MeanMs, IReadOnlyList<MebinResult> Results) Time(
        List<GrayImage> maps, MebinRange range, MebinImplementation implementation, int threads, int repeats)
    {
        var options = MebinSetOptions.Default with { Implementation = implementation, MaxDegreeOfParallelism = threads };
        IReadOnlyList<MebinResult> results = [];
        var watch = Stopwatch.StartNew();
        for (var r = 0; r < repeats; r++)
        {
            results = threads == 1
                ? maps.Select(map => MebinSet.BinarizeOne(map, range, options)).ToList()
                : MebinSet.Binarize(maps, range, "benchmark", options);
        }

        return (watch.Elapsed.TotalMilliseconds / (repeats * maps.Count), results);
    }

    private static int? FirstDisagreement(IReadOnlyList<MebinResult> reference, IReadOnlyList<MebinResult> fast)
    {
        for (var i = 0; i < reference.Count; i++)
        {
            if (!reference[i].Counts.SequenceEqual(fast[i].Counts)
                || reference[i].Choice != fast[i].Choice
                || !reference[i].Mask.Pixels.AsSpan().SequenceEqual(fast[i].Mask.Pixels))
            {
                return i;
            }
        }

        return null;
    }
}
