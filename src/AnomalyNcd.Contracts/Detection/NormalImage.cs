using AnomalyNcd.Contracts.Artefacts;

namespace AnomalyNcd.Contracts.Detection;

/// <summary>An image of a line uploaded as normal (defect-free): the detector is fitted on these. Only the reference is kept.</summary>
[GenerateSerializer, Alias("anomalyncd.NormalImage")]
public sealed record NormalImage(string ImageId, ArtefactRef Image, int Width, int Height, DateTimeOffset ReceivedAt);

/// <summary>
/// The answer to a normal upload: the image was kept as a normal image of the line (not processed for regions);
/// <paramref name="Created"/> is false when the same bytes were already kept under this id.
/// </summary>
[GenerateSerializer, Alias("anomalyncd.NormalImageKept")]
public sealed record NormalImageKept(string LineId, string ImageId, ArtefactRef Image, bool Created, int NormalImages)
{
    /// <summary>Always "normal": says in the answer how the image was kept.</summary>
    public string KeptAs => "normal";
}
