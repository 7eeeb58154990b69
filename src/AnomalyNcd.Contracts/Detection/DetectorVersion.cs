using AnomalyNcd.Contracts.Artefacts;

namespace AnomalyNcd.Contracts.Detection;

/// <summary>
/// A fitted detector of a line: its folder (memory bank, metadata, normal calibration) zipped into one artefact,
/// and small metadata. <paramref name="Calibration"/> summarises the normal calibration for people.
/// </summary>
[GenerateSerializer, Alias("anomalyncd.DetectorVersion")]
public sealed record DetectorVersion(
    string Version,
    string LineId,
    ArtefactRef Detector,
    int NormalImages,
    string Calibration,
    DateTimeOffset FittedAt,
    string FittedBy,
    DateTimeOffset? PromotedAt,
    string? PromotedBy);

/// <summary>A line's detectors (oldest first), the promoted one's version and how many normal images it has.</summary>
[GenerateSerializer, Alias("anomalyncd.LineDetectors")]
public sealed record LineDetectors(string LineId, DetectorVersion[] Versions, string? Promoted, int NormalImages);
