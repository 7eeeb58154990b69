using AnomalyNcd.Contracts.Detection;

namespace AnomalyNcd.Grains.Detection;

/// <summary>Persisted state of a line's detector registry: references and metadata only, never images or banks.</summary>
[GenerateSerializer, Alias("anomalyncd.LineDetectorState")]
public sealed class LineDetectorState
{
    [Id(0)] public List<NormalImage> NormalImages { get; set; } = [];

    /// <summary>Oldest first; versions are "v1", "v2", … in registration order.</summary>
    [Id(1)] public List<DetectorVersion> Versions { get; set; } = [];

    [Id(2)] public string? Promoted { get; set; }
}
