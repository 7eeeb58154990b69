using AnomalyNcd.Core.Common;

namespace AnomalyNcd.Core.Datasets.Importers;

/// <summary>
/// Finds the anomaly map of each imported image by name. A maps folder without sub-folders is flat:
/// maps pair by stem alone (image stems must then be unique). Otherwise the maps tree must mirror
/// the dataset tree: same folder relative to its root, same stem, any image extension.
/// </summary>
public static class AnomalyMapPairing
{
    public const string Role = "anomaly map";

    public static IReadOnlyDictionary<string, string> Pair(
        string datasetRoot, string mapsRoot, IReadOnlyList<string> images, ICollection<ImportWarning> warnings)
    {
        if (!Directory.Exists(mapsRoot))
        {
            throw new InvalidInputException(mapsRoot, "anomaly map folder does not exist");
        }

        var flat = OrdinalPaths.Folders(mapsRoot).Count == 0;
        var imageSet = new StemPairing.FileSet("image", datasetRoot, images, StemOnly: flat);
        var mapSet = StemPairing.Scan(Role, mapsRoot, recursive: !flat) with { StemOnly = flat };
        var result = StemPairing.Pair(imageSet, mapSet);
        foreach (var image in result.ImagesWithout(Role))
        {
            warnings.Add(new ImportWarning(ImportWarningKind.Unpaired, image, $"no anomaly map with the same {(flat ? "stem" : "relative folder and stem")} in {mapsRoot}"));
        }

        foreach (var map in result.Orphans(Role))
        {
            warnings.Add(new ImportWarning(ImportWarningKind.Unpaired, map, "anomaly map without an imported image of the same name"));
        }

        return result.Images
            .Where(p => p.Partners[0] is not null)
            .ToDictionary(p => p.Image, p => p.Partners[0]!, StringComparer.Ordinal);
    }
}
