namespace AnomalyNcd.Core.Cropping;

/// <summary>An integer crop box (right/bottom exclusive); may extend outside the image.</summary>
public readonly record struct PixelBox(int Left, int Up, int Right, int Bottom)
{
    public int Width => Right - Left;

    public int Height => Bottom - Up;
}
