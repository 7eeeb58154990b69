using System.Text;
using AnomalyNcd.Core.Binarization;
using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Datasets;
using AnomalyNcd.Core.Extraction;
using AnomalyNcd.Core.Imaging;

namespace AnomalyNcd.Core.Maps;

/// <summary>
/// Attaches a folder of raw detector maps to a manifest's rows (of one split and line): matches them by
/// name, brings each map to its image's size (nearest neighbour), learns every line's joint range
/// (saved as <c>&lt;line&gt;.calibration.json</c>) unless a normal-referenced scale is given, writes the 8-bit maps as PNG into
/// <paramref name="outputFolder"/> and returns the manifest in memory with its anomaly_map column pointing at them.
/// Images without a map are left without one (and reported in <c>unmatched.csv</c> with the orphan maps).
/// </summary>
public static class MapAttachment
{
    public sealed record Result(Manifest Manifest, MapMatch Match, IReadOnlyList<MapCalibration> Calibrations);

    public static Result Attach(
        Manifest manifest,
        string mapsFolder,
        string outputFolder,
        string? split,
        string? line,
        CancellationToken cancellationToken = default,
        NormalReferencedScale? scale = null,
        DegenerateRangePolicy degenerateRange = DegenerateRangePolicy.Refuse)
    {
        string LineOf(ManifestRow r) => r.Line ?? ManifestRegionExtractor.DefaultLine;
        var selected = manifest.Rows
            .Where(r => (split is null || r.Split == split) && (line is null || LineOf(r) == line))
            .ToList();
        var match = MapFolderMatcher.Match(manifest, selected, mapsFolder);
        if (match.MapOfImage.Count == 0)
        {
            throw new InvalidInputException(mapsFolder, $"no map matches any of the {selected.Count} image(s) of the manifest's split (by stem{(match.Nested ? " and relative folder" : string.Empty)})");
        }

        Directory.CreateDirectory(outputFolder);
        var written = new Dictionary<string, string>(StringComparer.Ordinal);
        var calibrations = new List<MapCalibration>();
        foreach (var group in selected.Where(r => match.MapOfImage.ContainsKey(r.Image)).GroupBy(LineOf))
        {
            // Two passes keep memory flat: the line's joint range first, then each map on its own with it.
            // A normal-referenced scale needs no first pass: it was learnt from the detector's held-out normals.
            var rows = group.ToList();
            Func<FloatMap, GrayImage> toByte;
            if (scale is null)
            {
                var calibration = MapCalibration.Learn(group.Key, rows.Select(r =>
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    return AnomalyMapFile.Read(match.MapOfImage[r.Image]);
                }));
                if (calibration.MebinFloor == 255 && rows.Count > 1 && degenerateRange == DegenerateRangePolicy.Refuse)
                {
                    throw new InvalidInputException(mapsFolder, $"degenerate map set: all {rows.Count} maps of line '{group.Key}' share the same maximum, so MEBin has no threshold range {MebinRange.DegenerateAdvice}");
                }

                calibration.Save(Path.Combine(outputFolder, SafeName(group.Key) + ".calibration.json"));
                calibrations.Add(calibration);
                toByte = calibration.Apply;
            }
            else
            {
                toByte = scale.Apply;
            }

            for (var i = 0; i < rows.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var row = rows[i];
                var raw = AnomalyMapFile.Read(match.MapOfImage[row.Image]);
                var (width, height) = ImageFiles.ReadSize(manifest.Resolve(row.Image));
                var gray = toByte(MapResize.Nearest(raw, width, height));
                var target = Path.Combine(outputFolder, SafeName(group.Key), $"{i:D6}-{Path.GetFileNameWithoutExtension(row.Image)}.png");
                ImageFiles.WritePng(target, gray);
                written[row.Image] = target;
            }
        }

        WriteUnmatched(Path.Combine(outputFolder, "unmatched.csv"), match);
        var attached = manifest.Rows.Select(r => written.TryGetValue(r.Image, out var map) ? r with { AnomalyMap = map } : r with { AnomalyMap = null }).ToList();
        return new Result(new Manifest(manifest.Folder, attached), match, calibrations);
    }

    private static void WriteUnmatched(string path, MapMatch match)
    {
        var text = new StringBuilder("path,problem\n");
        foreach (var map in match.UnmatchedMaps)
        {
            text.Append(CsvTable.Join([map, "map matches no image"])).Append('\n');
        }

        foreach (var image in match.ImagesWithoutMaps)
        {
            text.Append(CsvTable.Join([image, "image has no map"])).Append('\n');
        }

        AtomicFile.WriteAllText(path, text.ToString());
    }

    private static string SafeName(string name) =>
        string.Concat(name.Select(c => Path.GetInvalidFileNameChars().Contains(c) || c == '.' ? '_' : c));
}
