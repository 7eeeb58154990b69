namespace AnomalyNcd.Contracts;

/// <summary>Why a grain refused a request; the API maps each kind to one HTTP status.</summary>
[GenerateSerializer, Alias("anomalyncd.RejectionKind")]
public enum RejectionKind
{
    /// <summary>Malformed or unusable input (400/422).</summary>
    Invalid = 0,

    /// <summary>The line, image, region, class or model does not exist (404).</summary>
    NotFound = 1,

    /// <summary>Conflicts with what is stored, e.g. an image id reused for other bytes, a duplicate class name (409).</summary>
    Conflict = 2,

    /// <summary>Not possible in the current state, e.g. training already running, no promoted model (409).</summary>
    NotReady = 3,

    /// <summary>A limit was exceeded (413/429).</summary>
    TooLarge = 4,
}
