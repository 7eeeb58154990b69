using AnomalyNcd.Contracts.Artefacts;

namespace AnomalyNcd.Contracts.Detection;

/// <summary>
/// Scores images with one detector version (key: "line/version", see <see cref="Key"/>) on an accelerator silo; the
/// detector is loaded from the artefact store once per activation.
/// </summary>
[Alias("anomalyncd.IDetectorScoringGrain")]
public interface IDetectorScoringGrain : IGrainWithStringKey
{
    /// <summary>
    /// The image's anomaly map on the detector's normal-referenced 8-bit scale (0 = the normal level, as MEBin
    /// sweeps it), stored as a PNG map artefact, with the level its regions must peak above; Invalid when the image
    /// cannot be read.
    /// </summary>
    [Alias("ScoreMap")] Task<ScoredMap> ScoreAsync(DetectorVersion detector, ArtefactRef image);

    public static string Key(string lineId, string version) => $"{lineId}/{version}";
}
