using AnomalyNcd.Contracts.Detection;
using AnomalyNcd.Contracts.Training;

namespace AnomalyNcd.Contracts.Lines;

/// <summary>
/// A line as the API and dashboard show it. <paramref name="Detectors"/> (its detector versions and which one is
/// promoted) lives in another grain; the API fills it in for <c>GET /api/lines/{line}</c>, the line grain leaves it null.
/// </summary>
[GenerateSerializer, Alias("anomalyncd.LineSummary")]
public sealed record LineSummary(
    string LineId,
    LineSettings Settings,
    int ImageCount,
    int AnomalousImageCount,
    int RegionCount,
    DefectClass[] Classes,
    ModelVersion? PromotedModel,
    ModelVersion[] Models,
    DateTimeOffset? LastImageAt,
    LineDetectors? Detectors = null);
