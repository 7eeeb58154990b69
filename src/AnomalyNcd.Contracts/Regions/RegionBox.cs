namespace AnomalyNcd.Contracts.Regions;

/// <summary>The square crop box in image pixels (left, up, right, bottom), as the cropping step plans it.</summary>
[GenerateSerializer, Alias("anomalyncd.RegionBox")]
public sealed record RegionBox(double Left, double Up, double Right, double Bottom);
