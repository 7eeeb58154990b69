using AnomalyNcd.Core.Metrics;

namespace AnomalyNcd.Core.Discovery;

/// <summary>What a discovery run produced (the files are in its output folder).</summary>
public sealed record DiscoveryResult(
    DiscoveryProtocol Protocol,
    IReadOnlyList<string> BaseClasses,
    IReadOnlyList<string> NovelClasses,
    string ClassCountSource,
    int Images,
    int EvaluatedImages,
    int Crops,
    int BaseCrops,
    int SelectedHead,
    ClusteringMetrics? ImageMetrics,
    ClusteringMetrics? RegionMetrics,
    IReadOnlyDictionary<string, TimeSpan> StageTimes);
