namespace AnomalyNcd.Core.Extraction;

/// <summary>What to take from a manifest and how to extract its regions.</summary>
public sealed record ManifestRegionOptions
{
    /// <summary>Only rows of this split (null: every row that has an anomaly map).</summary>
    public string? Split { get; init; }

    public RegionExtractionOptions Extraction { get; init; } = RegionExtractionOptions.Default;

    /// <summary>Write every crop and crop mask as PNG under crops/ (the regions table is always written).</summary>
    public bool WriteCrops { get; init; } = true;
}
