using AnomalyNcd.Contracts.Regions;

namespace AnomalyNcd.Contracts.Lines;

/// <summary>One entry of a line's class catalogue. Representatives are the most typical regions first.</summary>
[GenerateSerializer, Alias("anomalyncd.DefectClass")]
public sealed record DefectClass(
    string ClassId,
    string? Name,
    ClassStatus Status,
    int RegionCount,
    int ImageCount,
    RegionKey[] Representatives,
    DateTimeOffset UpdatedAt);
