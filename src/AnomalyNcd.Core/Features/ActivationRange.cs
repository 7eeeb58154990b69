namespace AnomalyNcd.Core.Features;

/// <summary>The smallest and largest value an activation tensor took over the calibration images.</summary>
public readonly record struct ActivationRange(float Min, float Max)
{
    public ActivationRange Include(float min, float max) => new(Math.Min(Min, min), Math.Max(Max, max));
}
