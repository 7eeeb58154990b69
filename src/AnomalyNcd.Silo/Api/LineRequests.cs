using AnomalyNcd.Contracts.Lines;

namespace AnomalyNcd.Silo.Api;

/// <summary>Body of <c>PUT /api/lines/{line}/settings</c> (and the settings part of a create).</summary>
public sealed record LineSettingsRequest(float? CalibrationMin, float? CalibrationMax, int? ClassCount, string? DetectorRef, string? Description, byte? MebinFloor = null, string? NormalGroundTruth = null)
{
    public const int MaxClassCount = LineSettings.MaxClassCount;

    /// <summary>The problem with these settings (the rule lives beside <see cref="LineSettings"/>), or null when they are usable.</summary>
    public string? Problem() => ToSettings().Problem();

    public LineSettings ToSettings() => new(CalibrationMin, CalibrationMax, ClassCount, DetectorRef, Description, MebinFloor, NormalGroundTruth);
}

/// <summary>Body of <c>POST /api/lines</c>: the new line's id and its settings.</summary>
public sealed record CreateLineRequest(string? Id, float? CalibrationMin, float? CalibrationMax, int? ClassCount, string? DetectorRef, string? Description, byte? MebinFloor = null, string? NormalGroundTruth = null)
{
    public LineSettingsRequest Settings => new(CalibrationMin, CalibrationMax, ClassCount, DetectorRef, Description, MebinFloor, NormalGroundTruth);
}
