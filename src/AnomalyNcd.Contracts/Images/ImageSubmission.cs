using AnomalyNcd.Contracts.Artefacts;

namespace AnomalyNcd.Contracts.Images;

/// <summary>
/// An image already written to the artefact store (the API stores the bytes first, then calls the grain
/// with references only). <paramref name="Map"/> is the detector's anomaly map; without one, the line's
/// built-in detector scores the image. <paramref name="GroundTruthClass"/> is optional evaluation metadata.
/// <paramref name="DetectorVersion"/> names the line's detector that made <paramref name="Map"/> on its normal-referenced
/// 8-bit scale (binarised as it is, not with the line's calibration); null for a map sent with the upload.
/// <paramref name="RegionGateLevel"/>: with a detector's map, the level on that scale every region must peak above
/// (<see cref="Detection.ScoredMap"/>); null: no region gate.
/// </summary>
[GenerateSerializer, Alias("anomalyncd.ImageSubmission")]
public sealed record ImageSubmission(
    ArtefactRef Image,
    ArtefactRef? Map,
    int Width,
    int Height,
    string? FileName,
    string? GroundTruthClass,
    string? DetectorVersion = null,
    byte? RegionGateLevel = null);
