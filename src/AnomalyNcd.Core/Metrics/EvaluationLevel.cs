namespace AnomalyNcd.Core.Metrics;

/// <summary>What one prediction row stands for when predictions are scored against manifest labels.</summary>
public enum EvaluationLevel
{
    /// <summary>One row per image (images.csv: <c>image,class,...</c>); an image may appear only once.</summary>
    Image,

    /// <summary>One row per region (regions.csv: <c>image,region,...,class,...</c>); each region inherits its image's label.</summary>
    Region,
}
