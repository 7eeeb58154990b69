using AnomalyNcd.Contracts.Artefacts;

namespace AnomalyNcd.Contracts.Regions;

/// <summary>
/// One anomaly region (key: line/image/index). Until something changes it (an assignment, an operator decision) the
/// region is the one its image grain extracted and stored; the region grain writes a state of its own only on change.
/// </summary>
[Alias("anomalyncd.IRegionGrain")]
public interface IRegionGrain : IGrainWithStringKey
{
    /// <summary>Stores the region as given unless it already holds it (idempotent for the same content; other content is a Conflict).</summary>
    [Alias("Initialise")] Task InitialiseAsync(RegionResult region);

    [Alias("Get")] Task<RegionResult?> GetAsync();

    /// <summary>The model's class for the region and, when the model produced one, the stored embedding (for "find more like this").</summary>
    [Alias("Assign")] Task<RegionResult> AssignAsync(string classId, double confidence, string modelVersion, ArtefactRef? embedding = null);

    /// <summary>An operator's decision overrides the model's assignment.</summary>
    [Alias("Decide")] Task<RegionResult> DecideAsync(OperatorDecision decision);
}
