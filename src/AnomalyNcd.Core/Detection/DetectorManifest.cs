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
    /// File name of an image's map: the image path as written in the manifest with '/' (and '\') turned into "__"
    /// and ".tiff" appended (the image's own extension is kept, so a.png and a.jpg do not collide).
    /// Leading "./" and "/" are dropped and ".." becomes "up".
    /// </summary>
    public static string MapFileName(string imagePath)
    {
        var parts = imagePath.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries)
            .Where(p => p != ".")
            .Select(p => p == ".." ? "up" : p.Replace(':', '_'));
        return string.Join("__", parts) + ".tiff";
    }
}
