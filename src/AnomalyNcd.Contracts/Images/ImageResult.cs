using AnomalyNcd.Contracts.Artefacts;
using AnomalyNcd.Contracts.Regions;

namespace AnomalyNcd.Contracts.Images;

/// <summary>
/// One image of a line and what processing found in it. <paramref name="DetectorVersion"/> names the line's detector
/// that made <paramref name="Map"/> (null: the map came with the upload).
/// </summary>
[GenerateSerializer, Alias("anomalyncd.ImageResult")]
public sealed record ImageResult(
    string LineId,
    string ImageId,
    ImageStatus Status,
    ArtefactRef Image,
    ArtefactRef? Map,
    ArtefactRef? Mask,
    int Width,
    int Height,
    RegionResult[] Regions,
    ImageLabel? Label,
    string? GroundTruthClass,
    DateTimeOffset ReceivedAt,
    DateTimeOffset? ProcessedAt,
    double ProcessingMilliseconds,
    string? DetectorVersion = null);
