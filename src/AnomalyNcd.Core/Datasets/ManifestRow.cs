namespace AnomalyNcd.Core.Datasets;

/// <summary>
/// One row of the manifest, the single data format of the product. Paths are relative to the
/// manifest's folder (or absolute); empty cells are null.
/// </summary>
/// <param name="Image">The image path; also the row's identity (unique within a manifest).</param>
/// <param name="AnomalyMap">Optional anomaly map of a detector.</param>
/// <param name="Mask">Optional ground-truth or box mask (0/255).</param>
/// <param name="Label">Class name when known (the normal class is named by the importer, e.g. MT_Free or good).</param>
/// <param name="Line">Product line the image came from.</param>
/// <param name="Split">train / test (or any name the user chooses).</param>
public sealed record ManifestRow(
    string Image,
    string? AnomalyMap = null,
    string? Mask = null,
    string? Label = null,
    string? Line = null,
    string? Split = null);
