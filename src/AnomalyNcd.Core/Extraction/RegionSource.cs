namespace AnomalyNcd.Core.Extraction;

/// <summary>Where the anomaly regions of a manifest's images come from.</summary>
public enum RegionSource
{
    /// <summary>MEBin on the detector's anomaly maps (the product's normal path).</summary>
    AnomalyMaps,

    /// <summary>
    /// The manifest's masks, thresholded at &gt;127 (the paper's "with ground-truth masks" protocol, and
    /// box masks of a labelled base set). The region estimate is the number of external regions; a row
    /// without a mask, or with an empty one, gives one whole-image crop with an empty mask.
    /// </summary>
    GroundTruthMasks,
}
