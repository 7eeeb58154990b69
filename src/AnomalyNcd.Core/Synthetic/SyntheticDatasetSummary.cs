namespace AnomalyNcd.Core.Synthetic;

/// <summary>What <see cref="SyntheticDatasetWriter.Write"/> produced.</summary>
/// <param name="Folder">The output folder (absolute).</param>
/// <param name="ManifestPath">Its manifest.csv.</param>
/// <param name="Lines">Recipes of the generated lines, in order.</param>
/// <param name="Images">Every image in manifest order.</param>
public sealed record SyntheticDatasetSummary(
    string Folder,
    string ManifestPath,
    IReadOnlyList<LineRecipe> Lines,
    IReadOnlyList<SyntheticImageRecord> Images)
{
    /// <summary>Its defects.csv: one row per painted defect with the defect's kind and box.</summary>
    public string DefectsPath { get; init; } = "";
}
