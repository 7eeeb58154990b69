using AnomalyNcd.Contracts.Regions;

namespace AnomalyNcd.Grains.Regions;

/// <summary>A region's persisted state: the region record (references and small metadata only), null until initialised.</summary>
[GenerateSerializer, Alias("anomalyncd.RegionState")]
public sealed class RegionState
{
    [Id(0)]
    public RegionResult? Region { get; set; }

    /// <summary>The model's own assignment, kept apart so an operator's decision can override it without losing it.</summary>
    [Id(1)]
    public string? ModelClassId { get; set; }
}
