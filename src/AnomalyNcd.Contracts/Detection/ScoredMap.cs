using AnomalyNcd.Contracts.Artefacts;

namespace AnomalyNcd.Contracts.Detection;

/// <summary>
/// A detector's map of one image, stored as a PNG map artefact on the detector's normal-referenced 8-bit scale, and the
/// level on that scale every region of it must peak above (the detector's image gate; null where no region gate applies).
/// </summary>
[GenerateSerializer, Alias("anomalyncd.ScoredMap")]
public sealed record ScoredMap(ArtefactRef Map, byte? RegionGateLevel);
