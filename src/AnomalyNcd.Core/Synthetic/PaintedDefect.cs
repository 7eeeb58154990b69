namespace AnomalyNcd.Core.Synthetic;

/// <summary>One defect ready to composite: where it is (soft and hard), and what it does to the pixels.</summary>
internal sealed class PaintedDefect
{
    public required DefectKind Kind { get; init; }

    /// <summary>Soft coverage in [0, 1] used for compositing.</summary>
    public required float[] Alpha { get; init; }

    /// <summary>Ground truth: true where the defect is.</summary>
    public required bool[] Mask { get; init; }

    public required int Area { get; init; }

    /// <summary>When true, pixels are replaced by <see cref="Colour"/> (a hole); else it is added.</summary>
    public required bool Replaces { get; init; }

    /// <summary>Per-channel fill value or added delta (1 or 3 entries, in R, G, B order).</summary>
    public required float[] Colour { get; init; }

    /// <summary>Signed intensity change on the luminance scale (negative is darker).</summary>
    public required double Contrast { get; init; }

    /// <summary>How easy the defect is for a detector, about 0.2 (faint) to 1.3 (obvious).</summary>
    public required double Visibility { get; init; }

    public void Apply(float[][] channels)
    {
        for (var c = 0; c < channels.Length; c++)
        {
            var plane = channels[c];
            var value = Colour[c];
            for (var i = 0; i < plane.Length; i++)
            {
                var a = Alpha[i];
                if (a <= 0)
                {
                    continue;
                }

                plane[i] = Replaces ? (plane[i] * (1 - a)) + (value * a) : plane[i] + (value * a);
            }
        }
    }
}
