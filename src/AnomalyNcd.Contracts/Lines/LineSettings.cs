namespace AnomalyNcd.Contracts.Lines;

/// <summary>
/// Per-line settings. Streamed maps are normalised with the line's calibration range
/// (learnt once from a calibration set) and MEBin searches from <paramref name="MebinFloor"/> (the
/// calibration set's smallest per-map peak on the 0–255 scale; 0 when unknown) to 255, so one image
/// binarises as it would inside that batch.
/// </summary>
[GenerateSerializer, Alias("anomalyncd.LineSettings")]
public sealed record LineSettings(
    float? CalibrationMin,
    float? CalibrationMax,
    int? ClassCount,
    string? DetectorRef,
    string? Description,
    byte? MebinFloor = null)
{
    public static LineSettings Empty { get; } = new(null, null, null, null, null);

    public bool HasCalibration => CalibrationMin is { } min && CalibrationMax is { } max && max > min;
}
