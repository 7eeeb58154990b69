namespace AnomalyNcd.Core.Maps;

/// <summary>
/// Which map file belongs to which manifest image (keyed by the manifest's image path as written),
/// the maps that matched no image, and the images that found no map.
/// </summary>
/// <param name="Nested">True when the maps folder is a tree mirroring the image paths; false for a flat folder matched by stem.</param>
public sealed record MapMatch(
    IReadOnlyDictionary<string, string> MapOfImage,
    IReadOnlyList<string> UnmatchedMaps,
    IReadOnlyList<string> ImagesWithoutMaps,
    bool Nested);
