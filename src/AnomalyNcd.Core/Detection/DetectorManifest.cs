using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Datasets;
using AnomalyNcd.Core.Extraction;

namespace AnomalyNcd.Core.Detection;

/// <summary>Which manifest rows a detector is fitted on and which it scores.</summary>
public static class DetectorManifest
{
    public const string TrainSplit = "train";

    /// <summary>Rows of split <c>train</c> with a normal label (good / normal / ok / MT_Free), optionally of one line.</summary>
    public static IReadOnlyList<ManifestRow> TrainingRows(Manifest manifest, string? line) =>
        manifest.Rows
            .Where(r => r.Split == TrainSplit && r.Label is not null && ManifestRegionExtractor.IsNormalLabel(r.Label))
            .Where(r => line is null || r.Line == line)
            .ToList();

    /// <summary>Rows of the given split (all rows when null), optionally of one line.</summary>
    public static IReadOnlyList<ManifestRow> ScoringRows(Manifest manifest, string? split, string? line) =>
        manifest.Rows
            .Where(r => split is null || r.Split == split)
            .Where(r => line is null || r.Line == line)
            .ToList();

    /// <summary>
    /// Where each image's map goes below the maps folder, in the two layouts <c>discover --maps</c> reads
    /// back (Maps/MapFolderMatcher): flat <c>&lt;stem&gt;.tiff</c> when the scored images' stems are unique
    /// (MTD, most flat data sets); otherwise a tree mirroring the image paths relative to the manifest
    /// (MVTec's repeated 000.png), which needs paths without "..".
    /// </summary>
    public static IReadOnlyList<string> MapRelativePaths(IReadOnlyList<ManifestRow> rows, string manifestPath)
    {
        var stems = rows.Select(r => Path.GetFileNameWithoutExtension(r.Image)).ToList();
        if (stems.Distinct(StringComparer.Ordinal).Count() == stems.Count)
        {
            return [.. stems.Select(s => s + ".tiff")];
        }

        return [.. rows.Select(r =>
        {
            var parts = r.Image.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToList();
            if (parts.Contains("..") || Path.IsPathRooted(r.Image))
            {
                throw new InvalidInputException(manifestPath, $"image '{r.Image}' shares its file stem with another image and lies outside the manifest's folder, so its map cannot be named unambiguously");
            }

            return Path.Combine([.. parts.SkipLast(1), Path.GetFileNameWithoutExtension(parts[^1]) + ".tiff"]);
        })];
    }
}
