using AnomalyNcd.Contracts.Lines;

namespace AnomalyNcd.Silo.Api;

/// <summary>Body of <c>PUT /api/lines/{line}/settings</c> (and the settings part of a create).</summary>
public sealed record LineSettingsRequest(float? CalibrationMin, float? CalibrationMax, int? ClassCount, string? DetectorRef, string? Description, byte? MebinFloor = null)
{
    public const int MaxClassCount = 1000;

    /// <summary>The problem with these settings, or null when they are usable.</summary>
    public string? Problem()
    {
        if (CalibrationMin.HasValue != CalibrationMax.HasValue)
        {
            return "calibrationMin and calibrationMax must be given together";
        }

        if (CalibrationMin is { } min && CalibrationMax is { } max)
        {
            if (!float.IsFinite(min) || !float.IsFinite(max) || max <= min)
            {
                return $"calibration range [{min}, {max}] must be finite with calibrationMax > calibrationMin";
            }
        }

        if (MebinFloor is not null && CalibrationMin is null)
        {
            return "mebinFloor belongs to a calibration: give calibrationMin and calibrationMax too";
        }

        if (ClassCount is { } count && (count < 2 || count > MaxClassCount))
        {
            return $"classCount must be between 2 and {MaxClassCount} (or absent for automatic), got {count}";
        }

        return null;
    }

    public LineSettings ToSettings() => new(CalibrationMin, CalibrationMax, ClassCount, DetectorRef, Description, MebinFloor);
}

/// <summary>Body of <c>POST /api/lines</c>: the new line's id and its settings.</summary>
public sealed record CreateLineRequest(string? Id, float? CalibrationMin, float? CalibrationMax, int? ClassCount, string? DetectorRef, string? Description, byte? MebinFloor = null)
{
    public LineSettingsRequest Settings => new(CalibrationMin, CalibrationMax, ClassCount, DetectorRef, Description, MebinFloor);
}
