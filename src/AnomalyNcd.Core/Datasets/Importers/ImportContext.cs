using AnomalyNcd.Core.Common;

namespace AnomalyNcd.Core.Datasets.Importers;

/// <summary>What every importer gets: where the dataset is and where the manifest will be written.</summary>
/// <param name="Root">The dataset folder.</param>
/// <param name="ManifestPath">The manifest file to be written; row paths are made relative to its folder.</param>
/// <param name="Line">Product line for every row; null lets the importer choose (e.g. "mtd" or the root folder's name).</param>
/// <param name="MapsRoot">Optional folder of anomaly maps, paired with the images by name (see <see cref="AnomalyMapPairing"/>).</param>
/// <param name="Progress">Optional progress of the slow steps (reading or writing masks).</param>
public sealed record ImportContext(
    string Root,
    string ManifestPath,
    string? Line = null,
    string? MapsRoot = null,
    IProgress<ProgressUpdate>? Progress = null)
{
    /// <summary>Path of <paramref name="file"/> as written into the manifest.</summary>
    public string Relative(string file) => Manifest.RelativePath(ManifestPath, file);

    /// <summary>Folder of the manifest file.</summary>
    public string ManifestFolder => Path.GetDirectoryName(Path.GetFullPath(ManifestPath))!;

    /// <summary>Fails with one clear line when the dataset root is missing.</summary>
    public void RequireRoot()
    {
        if (!Directory.Exists(Root))
        {
            throw new InvalidInputException(Root, "dataset folder does not exist");
        }
    }
}
