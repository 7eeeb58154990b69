using AnomalyNcd.Contracts.Images;

namespace AnomalyNcd.Grains.Images;

/// <summary>An image's persisted state: its result (artefact references, regions' geometry and classes, label); null until submitted.</summary>
[GenerateSerializer, Alias("anomalyncd.ImageState")]
public sealed class ImageState
{
    [Id(0)]
    public ImageResult? Result { get; set; }
}
