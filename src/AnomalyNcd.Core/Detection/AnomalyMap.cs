namespace AnomalyNcd.Core.Detection;

/// <summary>A detector's float anomaly map at the image's own size (row-major) and the image score (its maximum).</summary>
public sealed record AnomalyMap(int Width, int Height, float[] Values, float Score);
