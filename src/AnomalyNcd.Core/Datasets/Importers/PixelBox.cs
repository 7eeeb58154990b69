namespace AnomalyNcd.Core.Datasets.Importers;

/// <summary>A box in 0-based pixel columns and rows, both ends inclusive, inside the image.</summary>
internal readonly record struct PixelBox(int Left, int Top, int Right, int Bottom)
{
    public long Area => (long)(Right - Left + 1) * (Bottom - Top + 1);
}
