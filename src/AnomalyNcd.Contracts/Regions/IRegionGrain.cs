using AnomalyNcd.Contracts.Artefacts;

namespace AnomalyNcd.Contracts.Regions;

/// <summary>One anomaly region (key: line/image/index).</summary>
[Alias("anomalyncd.IRegionGrain")]
public interface IRegionGrain : IGrainWithStringKey
{
    /// <summary>Stores the region as the image grain extracted it (idempotent for the same content).</summary>
    [Alias("Initialise")] Task InitialiseAsync(RegionResult region);

    [Alias("Get")] Task<RegionResult?> GetAsync();

    /// <summary>The model's class for the region and, when the model produced one, the stored embedding (for "find more like this").</summary>
    [Alias("Assign")] Task<RegionResult> AssignAsync(string classId, double confidence, string modelVersion, ArtefactRef? embedding = null);

    /// <summary>An operator's decision overrides the model's assignment.</summary>
    [Alias("Decide")] Task<RegionResult> DecideAsync(OperatorDecision decision);
}
