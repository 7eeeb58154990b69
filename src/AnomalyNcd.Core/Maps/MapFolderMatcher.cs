using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Datasets;

namespace AnomalyNcd.Core.Maps;

/// <summary>
/// Matches a folder of detector maps to manifest images by name (never by position, spec B3), through
/// <see cref="StemPairing"/>. A flat folder (map files only at its top) matches by stem alone, so image
/// stems must be unique; a tree must mirror the images' folders relative to the manifest
/// (<c>line-a/images/x.png</c> ↔ <c>MAPS/line-a/images/x.npy</c>).
/// </summary>
public static class MapFolderMatcher
{
    public const string ImageRole = "image";
    public const string MapRole = "anomaly map";

    public static MapMatch Match(Manifest manifest, IEnumerable<ManifestRow> rows, string mapsFolder)
    {
        if (!Directory.Exists(mapsFolder))
        {
            throw new InvalidInputException(mapsFolder, "maps folder does not exist");
        }

        var scanned = StemPairing.Scan(MapRole, mapsFolder, recursive: true, stemSuffix: string.Empty, [.. AnomalyMapFile.Extensions]);
        var root = Path.GetFullPath(mapsFolder);
        var nested = scanned.Files.Any(f => !string.Equals(Path.GetDirectoryName(Path.GetFullPath(f)), root.TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal));

        var imageOfResolved = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            imageOfResolved[manifest.Resolve(row.Image)] = row.Image;
        }

        var images = new StemPairing.FileSet(ImageRole, manifest.Folder, [.. imageOfResolved.Keys], StemOnly: !nested);
        var maps = scanned with { StemOnly = !nested };
        var paired = StemPairing.Pair(images, maps);

        var mapOfImage = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var image in paired.Images)
        {
            if (image.Partners[0] is { } map)
            {
                mapOfImage[imageOfResolved[image.Image]] = map;
            }
        }

        return new MapMatch(
            mapOfImage,
            [.. paired.Orphans(MapRole)],
            [.. paired.ImagesWithout(MapRole).Select(i => imageOfResolved[i])],
            nested);
    }
}
