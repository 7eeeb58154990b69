using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Imaging;

namespace AnomalyNcd.Core.Binarization;

/// <summary>
/// MEBin over a set of maps (one category): one search range for the whole set (method-spec §5.1),
/// then every map independently, in parallel.
/// </summary>
public static class MebinSet
{
    /// <summary>
    /// Takes the range from the maps (refusing a degenerate set unless the options choose a fallback),
    /// then binarises every map. <paramref name="setName"/> names the set in errors and progress.
    /// </summary>
    public static MebinSetResult Binarize(
        IReadOnlyList<GrayImage> maps,
        string setName,
        MebinSetOptions? options = null,
        IProgress<ProgressUpdate>? progress = null,
        CancellationToken cancellationToken = default)
    {
        options ??= MebinSetOptions.Default;
        var range = options.FixedRange ?? MebinRange.FromMaps(maps, options.DegenerateRange, setName);
        return new MebinSetResult(range, Binarize(maps, range, setName, options, progress, cancellationToken));
    }

    /// <summary>Binarises every map with a range the caller already chose.</summary>
    public static IReadOnlyList<MebinResult> Binarize(
        IReadOnlyList<GrayImage> maps,
        MebinRange range,
        string setName,
        MebinSetOptions options,
        IProgress<ProgressUpdate>? progress = null,
        CancellationToken cancellationToken = default)
    {
        options.Mebin.Validate();
        var stage = $"MEBin {setName}";
        var results = new MebinResult[maps.Count];
        var done = 0;
        progress?.Report(new ProgressUpdate(stage, 0, maps.Count));
        var parallel = new ParallelOptions
        {
            MaxDegreeOfParallelism = options.MaxDegreeOfParallelism,
            CancellationToken = cancellationToken,
        };
        Parallel.For(0, maps.Count, parallel, i =>
        {
            results[i] = BinarizeOne(maps[i], range, options);
            progress?.Report(new ProgressUpdate(stage, Interlocked.Increment(ref done), maps.Count));
        });
        return results;
    }

    public static MebinResult BinarizeOne(GrayImage map, MebinRange range, MebinSetOptions options) =>
        (options.Rule, options.Implementation) switch
        {
            (RegionRule.PersistentPeaks, MebinImplementation.Reference) => PeakRegionsReference.Binarize(map, range, options.Mebin, options.Peaks),
            (RegionRule.PersistentPeaks, _) => PeakRegions.Binarize(map, range, options.Mebin, options.Peaks),
            (_, MebinImplementation.Reference) => MebinReference.Binarize(map, range, options.Mebin),
            _ => MebinFast.Binarize(map, range, options.Mebin),
        };
}
