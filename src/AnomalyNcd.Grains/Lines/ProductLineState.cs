using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Contracts.Regions;
using AnomalyNcd.Contracts.Training;

namespace AnomalyNcd.Grains.Lines;

/// <summary>
/// A line's persisted state: settings, counts, the class catalogue and the models. Its per-image records (the
/// regions' class ids and confidences, so that a re-recorded image replaces its old contribution instead of
/// counting twice) are stored apart, in chunks (<see cref="LineImageRecords"/>), so this state does not grow with the line.
/// </summary>
[GenerateSerializer, Alias("anomalyncd.ProductLineState")]
public sealed class ProductLineState
{
    [Id(0)] public bool Created { get; set; }

    /// <summary>
    /// A fresh instance, never the shared <see cref="LineSettings.Empty"/>: the serializer may fill a default
    /// value in place when it reads state, which would rewrite the shared singleton (seen in tests).
    /// </summary>
    [Id(1)] public LineSettings Settings { get; set; } = new(null, null, null, null, null);

    [Id(2)] public DateTimeOffset CreatedAt { get; set; }

    /// <summary>
    /// Older format only: image ids in the order they were first recorded. The records now live in their own
    /// chunks (<see cref="LineImageRecords"/>); a line stored this way moves them there when it activates.
    /// </summary>
    [Id(3)] public List<string> ImageIds { get; set; } = [];

    /// <summary>Older format only (see <see cref="ImageIds"/>).</summary>
    [Id(4)] public Dictionary<string, RecordedImage> Images { get; set; } = new(StringComparer.Ordinal);

    [Id(5)] public int AnomalousImageCount { get; set; }

    [Id(6)] public int RegionCount { get; set; }

    [Id(7)] public DateTimeOffset? LastImageAt { get; set; }

    [Id(8)] public Dictionary<string, CatalogueEntry> Classes { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Class ids that no longer exist on their own (merged, or a model class mapped to a confirmed one) → the class they now count for.</summary>
    [Id(9)] public Dictionary<string, string> Aliases { get; set; } = new(StringComparer.Ordinal);

    [Id(10)] public List<ModelVersion> Models { get; set; } = [];

    [Id(11)] public string? PromotedVersion { get; set; }

    /// <summary>Oldest first; capped.</summary>
    [Id(12)] public List<ClassDecision> Decisions { get; set; } = [];

    /// <summary>Counter for class ids the line mints itself (splits, classes first seen in a prediction).</summary>
    [Id(13)] public int NextClassNumber { get; set; }

    /// <summary>Images recorded as of this write; only a hint of how many chunks to read at activation (the counts are recomputed from the chunks).</summary>
    [Id(14)] public int ImageCount { get; set; }

    /// <summary>The line's alarm rules, set by an admin (<see cref="AlarmRule"/>).</summary>
    [Id(15)] public List<AlarmRule> AlarmRules { get; set; } = [];
}

[GenerateSerializer, Alias("anomalyncd.RecordedImage")]
public sealed class RecordedImage
{
    [Id(0)] public List<RecordedRegion> Regions { get; set; } = [];

    [Id(1)] public DateTimeOffset At { get; set; }

    /// <summary>Set in the per-image chunks (<see cref="LineImageChunk"/>); empty in records of the older in-state format.</summary>
    [Id(2)] public string ImageId { get; set; } = string.Empty;
}

/// <summary>One region as the line counts it: its index in the image, class (null = unclassified) and confidence.</summary>
[GenerateSerializer, Alias("anomalyncd.RecordedRegion")]
public sealed record RecordedRegion(int Index, string? ClassId, double Confidence);

[GenerateSerializer, Alias("anomalyncd.CatalogueEntry")]
public sealed class CatalogueEntry
{
    [Id(0)] public string ClassId { get; set; } = string.Empty;

    [Id(1)] public string? Name { get; set; }

    [Id(2)] public ClassStatus Status { get; set; }

    [Id(3)] public int RegionCount { get; set; }

    [Id(4)] public int ImageCount { get; set; }

    /// <summary>Highest confidence first, at most <see cref="ProductLineGrain.MaxRepresentatives"/>.</summary>
    [Id(5)] public List<Representative> Representatives { get; set; } = [];

    [Id(6)] public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Creation order, so the catalogue lists classes in a stable order.</summary>
    [Id(7)] public int Order { get; set; }

    public DefectClass ToContract() =>
        new(ClassId, Name, Status, RegionCount, ImageCount, [.. Representatives.Select(r => r.Region)], UpdatedAt);
}

[GenerateSerializer, Alias("anomalyncd.Representative")]
public sealed record Representative(RegionKey Region, double Confidence);
