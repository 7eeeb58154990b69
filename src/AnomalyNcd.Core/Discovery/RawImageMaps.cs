using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Datasets;
using AnomalyNcd.Core.Detection;
using AnomalyNcd.Core.Maps;

namespace AnomalyNcd.Core.Discovery;

/// <summary>
/// The raw-image step of discovery: a fitted detector scores the split's images into float maps, and its normal
/// calibration gives the scale that turns them into MEBin's 8-bit maps.
/// </summary>
public static class RawImageMaps
{
    public sealed record Prepared(string MapsFolder, NormalReferencedScale Scale, int Scored);

    /// <summary>
    /// Loads the detector and its calibration; scores the rows of <paramref name="options"/>' split and line into
    /// <paramref name="scoredFolder"/> unless <see cref="DiscoveryOptions.MapsFolder"/> already holds maps.
    /// </summary>
    public static Prepared Prepare(
        Manifest manifest,
        string manifestPath,
        DiscoveryOptions options,
        string scoredFolder,
        IProgress<ProgressUpdate>? progress,
        CancellationToken cancellationToken)
    {
        var detectorFolder = options.DetectorFolder ?? throw new ArgumentException("no detector folder", nameof(options));
        using var detector = PatchCoreDetector.Load(detectorFolder, options.Line);
        var calibration = detector.Calibration
            ?? throw new InvalidInputException(Path.Combine(detectorFolder, NormalCalibration.FileName), "the detector has no normal calibration (it was fitted before calibration existed, or on a single image); fit it again with 'detect fit'");
        var scale = new NormalReferencedScale(calibration, options.RawImageScale);
        if (options.MapsFolder is not null)
        {
            return new Prepared(options.MapsFolder, scale, 0);
        }

        var rows = DetectorManifest.ScoringRows(manifest, options.Split, options.Line ?? detector.Metadata.Line);
        if (rows.Count == 0)
        {
            throw new InvalidInputException(manifestPath, $"no rows of split '{options.Split ?? "all"}' to score with the detector");
        }

        var mapPaths = DetectorManifest.MapRelativePaths(rows, manifestPath);
        using var extractor = PatchFeatureExtractor.ForDetector(detector.Metadata);
        detector.Score(
            [.. rows.Select(r => manifest.Resolve(r.Image))],
            extractor,
            (i, map) => AnomalyMapFile.Write(Path.Combine(scoredFolder, mapPaths[i]), new FloatMap(map.Width, map.Height, map.Values), AnomalyMapFormat.FloatTiff),
            progress,
            cancellationToken,
            options.Threads);
        return new Prepared(scoredFolder, scale, rows.Count);
    }
}
