namespace AnomalyNcd.Core.Cropping;

/// <summary>
/// A crop box in PIL convention: left/up inclusive, right/bottom exclusive, in image pixels. Doubles
/// because merged boxes can carry half-pixel coordinates (method-spec §6.3); they are rounded only
/// when the crop is taken (§6.5).
/// </summary>
public readonly record struct CropBox(double Left, double Up, double Right, double Bottom)
{
    public double Width => Right - Left;

    public double Height => Bottom - Up;

    public double Area => Width * Height;

    public double CenterX => (Left + Right) / 2.0;

    public double CenterY => (Up + Bottom) / 2.0;

    /// <summary>The smallest box holding both.</summary>
    public CropBox Union(CropBox other) => new(
        Math.Min(Left, other.Left),
        Math.Min(Up, other.Up),
        Math.Max(Right, other.Right),
        Math.Max(Bottom, other.Bottom));

    /// <summary>Grows the shorter side by half the difference on both sides, keeping the centre (may give .5 coordinates).</summary>
    public CropBox Squared()
    {
        var width = Width;
        var height = Height;
        if (width > height)
        {
            var grow = (width - height) / 2.0;
            return this with { Up = Up - grow, Bottom = Bottom + grow };
        }

        if (height > width)
        {
            var grow = (height - width) / 2.0;
            return this with { Left = Left - grow, Right = Right + grow };
        }

        return this;
    }

    /// <summary>The integer pixel box PIL's crop uses: every coordinate rounded half-to-even.</summary>
    public PixelBox ToPixelBox() => new(
        PilRounding.RoundHalfToEven(Left),
        PilRounding.RoundHalfToEven(Up),
        PilRounding.RoundHalfToEven(Right),
        PilRounding.RoundHalfToEven(Bottom));

    public override string ToString() => $"({Left}, {Up}, {Right}, {Bottom})";
}
