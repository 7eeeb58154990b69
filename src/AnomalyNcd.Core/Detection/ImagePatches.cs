namespace AnomalyNcd.Core.Detection;

/// <summary>
/// Patch features of one image on a <paramref name="Columns"/>×<paramref name="Rows"/> grid (patch-major), the image's
/// size, and the size in image pixels that the grid covers from the top-left corner (larger than the image when tiles
/// were padded; equal for a squashed image).
/// </summary>
public sealed record ImagePatches(float[] Patches, int Columns, int Rows, int Width, int Height, int CoveredWidth, int CoveredHeight)
{
    public int Count => Columns * Rows;
}
