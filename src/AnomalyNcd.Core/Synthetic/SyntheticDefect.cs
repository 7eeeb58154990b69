namespace AnomalyNcd.Core.Synthetic;

/// <summary>What was painted into one image: ground truth the manifest cannot hold, for tests and reports.</summary>
/// <param name="Kind">The defect kind.</param>
/// <param name="Area">Pixels of this defect's own mask (before the union with other defects).</param>
/// <param name="Left">Left edge of the mask's bounding box.</param>
/// <param name="Top">Top edge of the mask's bounding box.</param>
/// <param name="Width">Bounding-box width (0 when the mask is empty).</param>
/// <param name="Height">Bounding-box height (0 when the mask is empty).</param>
/// <param name="Contrast">Signed luminance change (negative is darker).</param>
/// <param name="MapPeak">Peak of the simulated detector response before set-level scaling; 0 when missed.</param>
public sealed record SyntheticDefect(
    DefectKind Kind,
    int Area,
    int Left,
    int Top,
    int Width,
    int Height,
    double Contrast,
    double MapPeak)
{
    public bool Detected => MapPeak > 0;
}
