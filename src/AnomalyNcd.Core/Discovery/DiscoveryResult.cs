using AnomalyNcd.Analytics.Clustering;
using AnomalyNcd.Core.Metrics;

namespace AnomalyNcd.Core.Discovery;

/// <summary>What a discovery run produced (the files are in its output folder).</summary>
/// <param name="Lines">Region extraction per line: images with regions, normal images flagged.</param>
/// <param name="DefectiveImageMetrics">The image assignment scored on the labelled defective images alone (how well the kinds are told apart); null without both normal and defective labels.</param>
/// <param name="BaseSetRelevance">With a base set and <see cref="BaseSetUse.Auto"/>: whether it was used, and why.</param>
/// <param name="Binarization">With regions from maps and ground-truth masks in the manifest: MEBin's regions against them (paper Table 3).</param>
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
    IReadOnlyDictionary<string, TimeSpan> StageTimes,
    BoxErrorCounts? Binarization = null,
    IReadOnlyList<Extraction.LineRegionSummary>? Lines = null,
    ClusteringMetrics? DefectiveImageMetrics = null,
    BaseSetRelevance.Measurement? BaseSetRelevance = null);
