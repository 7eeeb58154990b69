namespace AnomalyNcd.Core.Extraction;

/// <summary>What to take from a manifest and how to extract its regions.</summary>
public sealed record ManifestRegionOptions
{
    /// <summary>Only rows of this split (null: every row that has an anomaly map).</summary>
    public string? Split { get; init; }

    /// <summary>Only rows of this product line (null: every line).</summary>
    public string? Line { get; init; }

    public RegionExtractionOptions Extraction { get; init; } = RegionExtractionOptions.Default;

    /// <summary>Where regions come from: MEBin on the anomaly maps (default) or the manifest's own masks.</summary>
    public RegionSource Source { get; init; } = RegionSource.AnomalyMaps;

    /// <summary>Write every crop and crop mask as PNG under crops/ (the regions table is always written).</summary>
    public bool WriteCrops { get; init; } = true;
}
