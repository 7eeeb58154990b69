namespace AnomalyNcd.Core.Cropping;

/// <summary>Python's round() as PIL's crop applies it to box coordinates: half-to-even (−10.5 → −10, 29.5 → 30).</summary>
public static class PilRounding
{
    public static int RoundHalfToEven(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "box coordinate must be finite");
        }

        return checked((int)Math.Round(value, MidpointRounding.ToEven));
    }
}
