namespace AnomalyNcd.Grains.Placement;

/// <summary>How a silo advertises its accelerator and places <see cref="AcceleratorPlacementAttribute"/> grains.</summary>
public sealed record AcceleratorPlacementOptions
{
    /// <summary>
    /// <c>cuda</c> or <c>cpu</c> to override detection; null reads configuration
    /// <c>Orleans:Metadata:hardware.accelerator</c> and then falls back to <see cref="AcceleratorDetector.Detect"/>.
    /// </summary>
    public string? Accelerator { get; init; }

    /// <summary>
    /// When no silo advertises <c>cuda</c>, place accelerator grains on any compatible silo instead of failing.
    /// On for the single-process demo, off for production clusters. Every silo of a cluster should agree.
    /// </summary>
    public bool AllowCpuFallback { get; init; }
}
