using AnomalyNcd.Contracts.Artefacts;
using AnomalyNcd.Contracts.Regions;

namespace AnomalyNcd.Contracts.Images;

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
    double ProcessingMilliseconds);
