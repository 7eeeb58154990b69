using AnomalyNcd.Core.Common;

namespace AnomalyNcd.Core.Detection;

/// <summary>How an image becomes the backbone's 224×224 inputs.</summary>
public enum PatchLayout
{
    /// <summary>The whole image resized to 224×224, aspect ratio not kept (one forward pass; the original detector).</summary>
    Squash,

    /// <summary>
    /// The image scaled so that its shorter side is 224 px (aspect ratio kept), covered by overlapping 224×224 tiles;
    /// each grid cell takes its features from the tile whose centre is nearest (see <see cref="TilePlan"/>).
    /// </summary>
    Tiles,
}

public static class PatchLayoutNames
{
    public static string Name(this PatchLayout layout) => layout == PatchLayout.Tiles ? "tiles" : "squash";

    /// <summary>Parses a layout name; a missing name (detectors written before layouts existed) is squash.</summary>
    public static PatchLayout Parse(string? name, string source) => name switch
    {
        null or "squash" => PatchLayout.Squash,
        "tiles" => PatchLayout.Tiles,
        _ => throw new InvalidInputException(source, $"unknown patch layout '{name}' (squash or tiles)"),
    };
}
