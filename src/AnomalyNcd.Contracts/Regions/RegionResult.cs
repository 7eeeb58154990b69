using AnomalyNcd.Contracts.Artefacts;

namespace AnomalyNcd.Contracts.Regions;

/// <summary>One anomaly region: geometry, crop references, and its class once assigned.</summary>
[GenerateSerializer, Alias("anomalyncd.RegionResult")]
public sealed record RegionResult(
    RegionKey Key,
    RegionBox Box,
    int Area,
    double Score,
    ArtefactRef Crop,
    ArtefactRef CropMask,
    ArtefactRef? Embedding,
    string? ClassId,
    double Confidence,
    string? ModelVersion,
    OperatorDecision? Decision);
