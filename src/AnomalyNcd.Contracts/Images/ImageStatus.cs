namespace AnomalyNcd.Contracts.Images;

[GenerateSerializer, Alias("anomalyncd.ImageStatus")]
public enum ImageStatus
{
    /// <summary>Stored, not yet binarised.</summary>
    Received = 0,

    /// <summary>Regions extracted and cropped; waiting for a promoted model.</summary>
    Binarised = 1,

    /// <summary>Regions classified and merged into an image label.</summary>
    Classified = 2,

    /// <summary>Binarisation found no anomaly region.</summary>
    NoAnomaly = 3,
}
