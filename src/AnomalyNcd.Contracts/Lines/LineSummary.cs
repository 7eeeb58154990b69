using AnomalyNcd.Contracts.Training;

namespace AnomalyNcd.Contracts.Lines;

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
    DateTimeOffset? LastImageAt);
