namespace AnomalyNcd.Core.Cropping;

/// <summary>
/// An integer pixel box, PIL's convention: Left and Up inclusive, Right and Bottom exclusive, so Width = Right − Left.
/// Crop boxes may extend outside the image; the dataset importers keep theirs inside it.
/// </summary>
public readonly record struct PixelBox(int Left, int Up, int Right, int Bottom)
{
    public int Width => Right - Left;

    public int Height => Bottom - Up;
}
