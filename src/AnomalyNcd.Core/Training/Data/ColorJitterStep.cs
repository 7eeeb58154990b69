namespace AnomalyNcd.Core.Training.Data;

/// <summary>The three colour-jitter adjustments, applied in a random order per view.</summary>
public enum ColorJitterStep
{
    Brightness,
    Contrast,
    Saturation,
}
