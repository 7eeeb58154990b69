namespace AnomalyNcd.Grains.Placement;

/// <summary>What this silo resolved at start-up: its advertised accelerator and the cluster's fallback switch.</summary>
internal sealed record AcceleratorSiloSettings(string Accelerator, bool AllowCpuFallback)
{
    /// <summary>
    /// How long placement waits for other silos' metadata when some compatible silo has not published it yet
    /// (a silo that joined a moment ago) and no <c>cuda</c> silo is known.
    /// </summary>
    public TimeSpan MetadataWait { get; init; } = TimeSpan.FromSeconds(2);
}
