namespace AnomalyNcd.Contracts.Lines;

/// <summary>
/// Per-line settings. Streamed maps are normalised with the line's calibration range
/// (learnt once from a calibration set) and MEBin searches from <paramref name="MebinFloor"/> (the
/// calibration set's smallest per-map peak on the 0–255 scale; 0 when unknown) to 255, so one image
/// binarises as it would inside that batch. <paramref name="NormalGroundTruth"/> names the <c>groundTruth</c> value
/// that marks an upload without a map as a normal image for the line's detector (as <c>normal=true</c> does).
/// </summary>
[GenerateSerializer, Alias("anomalyncd.LineSettings")]
public sealed record LineSettings(
    float? CalibrationMin,
    float? CalibrationMax,
    int? ClassCount,
    string? DetectorRef,
    string? Description,
    byte? MebinFloor = null,
    string? NormalGroundTruth = null)
{
    public static LineSettings Empty { get; } = new(null, null, null, null, null);

    /// <summary>Fewest classes a discovery may be asked for: one class is no grouping at all.</summary>
    public const int MinClassCount = 2;

    /// <summary>Most classes a discovery may be asked for (a head per class; far beyond any real line).</summary>
    public const int MaxClassCount = 1000;

    public bool HasCalibration => CalibrationMin is { } min && CalibrationMax is { } max && max > min;

    /// <summary>
    /// The class-count rule, shared by line settings and training requests (API, grains, dashboard and CLI alike):
    /// null when <paramref name="classCount"/> is absent (automatic) or within limits, else a message naming the field.
    /// </summary>
    public static string? ClassCountProblem(int? classCount) =>
        classCount is { } count && (count < MinClassCount || count > MaxClassCount)
            ? $"classCount must be between {MinClassCount} and {MaxClassCount} (or absent for automatic), got {count}"
            : null;

    /// <summary>The first problem with these settings, or null when a line may use them. Every entry point checks with this.</summary>
    public string? Problem()
    {
        if (CalibrationMin.HasValue != CalibrationMax.HasValue)
        {
            return "calibrationMin and calibrationMax must be given together";
        }

        if (CalibrationMin is { } min && CalibrationMax is { } max && !(float.IsFinite(min) && float.IsFinite(max) && max > min))
        {
            return $"calibration range [{min}, {max}] must be finite with calibrationMax > calibrationMin";
        }

        // The floor is a peak of the calibration set on the calibrated scale: without that scale it means nothing.
        if (MebinFloor is not null && CalibrationMin is null)
        {
            return "mebinFloor belongs to a calibration: give calibrationMin and calibrationMax too";
        }

        if (NormalGroundTruth is { } normal && !GrainKeys.IsValidId(normal))
        {
            return $"normalGroundTruth '{normal}' is not a valid class name: 1–{GrainKeys.MaxIdLength} letters, digits, '-', '_' or '.'";
        }

        return ClassCountProblem(ClassCount);
    }

    /// <summary>
    /// Whether an upload is a normal image for the line's detector because of its ground truth: it carries no map and
    /// its <c>groundTruth</c> is the value these settings name as normal (compared exactly). An upload with a map is
    /// processed as usual whatever its ground truth says.
    /// </summary>
    public bool MarksNormal(string? groundTruth, bool hasMap) =>
        !hasMap && NormalGroundTruth is { } normal && string.Equals(groundTruth, normal, StringComparison.Ordinal);
}
