namespace AnomalyNcd.Core.Synthetic;

/// <summary>A product line: its surface, colour, defect kinds and the quirks of its simulated detector.</summary>
/// <param name="Name">Line name used in folders and in the manifest's line column (line-a, ...).</param>
/// <param name="Surface">The procedural texture of the product.</param>
/// <param name="IsColor">RGB images when true, 8-bit grayscale otherwise.</param>
/// <param name="Kinds">The 3 to 5 defect kinds that occur on this line.</param>
/// <param name="Tint">Colour of the surface (R, G, B multipliers around 1) for RGB lines.</param>
/// <param name="Transposed">Streaks, threads and rings run vertically instead of horizontally.</param>
/// <param name="FeatureScale">Texture period relative to the nominal one (threads, rings, streak length).</param>
/// <param name="ClutterGain">How strongly the detector responds to the texture itself.</param>
public sealed record LineRecipe(
    string Name,
    SurfaceKind Surface,
    bool IsColor,
    IReadOnlyList<DefectKind> Kinds,
    (float R, float G, float B) Tint,
    bool Transposed,
    double FeatureScale,
    double ClutterGain);
