namespace AnomalyNcd.Core.Detection;

/// <summary>
/// Where the 224×224 tiles of <see cref="PatchLayout.Tiles"/> lie: the image is scaled so that its shorter side is
/// <see cref="Tile"/> px, padded on the right and bottom to a multiple of the stride (8 px per grid cell), and covered
/// along each axis by tiles whose origins are spread evenly on the stride, overlapping by at least
/// <see cref="MinimumOverlap"/> px, so that every cell can take its features away from a tile's edge.
/// </summary>
public sealed record TilePlan(double Scale, int ScaledWidth, int ScaledHeight, int PaddedWidth, int PaddedHeight, IReadOnlyList<int> OriginsX, IReadOnlyList<int> OriginsY)
{
    public const int Tile = 224;
    public const int Stride = 8;
    public const int MinimumOverlap = 64;

    public int Columns => PaddedWidth / Stride;

    public int Rows => PaddedHeight / Stride;

    public static TilePlan For(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        var scale = Tile / (double)Math.Min(width, height);
        var scaledWidth = Math.Max(Tile, (int)Math.Round(width * scale));
        var scaledHeight = Math.Max(Tile, (int)Math.Round(height * scale));
        var paddedWidth = RoundUp(scaledWidth);
        var paddedHeight = RoundUp(scaledHeight);
        return new TilePlan(scale, scaledWidth, scaledHeight, paddedWidth, paddedHeight, Origins(paddedWidth), Origins(paddedHeight));
    }

    /// <summary>For each grid cell along an axis, the tile (index into the origins) whose centre is nearest to the cell's centre.</summary>
    public static int[] NearestTile(IReadOnlyList<int> origins, int cells)
    {
        var choice = new int[cells];
        for (var c = 0; c < cells; c++)
        {
            var centre = (c * Stride) + (Stride / 2.0);
            var best = 0;
            for (var t = 1; t < origins.Count; t++)
            {
                if (Math.Abs(origins[t] + (Tile / 2.0) - centre) < Math.Abs(origins[best] + (Tile / 2.0) - centre))
                {
                    best = t;
                }
            }

            choice[c] = best;
        }

        return choice;
    }

    private static int RoundUp(int length) => (length + Stride - 1) / Stride * Stride;

    private static int[] Origins(int padded)
    {
        if (padded <= Tile)
        {
            return [0];
        }

        var count = (int)Math.Ceiling((padded - Tile) / (double)(Tile - MinimumOverlap)) + 1;
        var last = padded - Tile;
        return [.. Enumerable.Range(0, count).Select(k => k == count - 1 ? last : (int)Math.Round(k * last / (double)(count - 1) / Stride) * Stride)];
    }
}
