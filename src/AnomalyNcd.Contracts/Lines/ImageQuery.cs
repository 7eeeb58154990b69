namespace AnomalyNcd.Contracts.Lines;

/// <summary>Which images a filter keeps by what was found on them.</summary>
[GenerateSerializer, Alias("anomalyncd.ImageFilterStatus")]
public enum ImageFilterStatus
{
    /// <summary>Every image.</summary>
    Any = 0,

    /// <summary>No anomaly region found.</summary>
    NoAnomaly = 1,

    /// <summary>At least one anomaly region.</summary>
    Anomalous = 2,

    /// <summary>At least one region without a class (no model assigned it yet).</summary>
    Unclassified = 3,

    /// <summary>At least one region, every one with a class.</summary>
    Classified = 4,
}

/// <summary>
/// A filter over a line's images (API, line grain and dashboard alike). Every criterion is optional: a class the
/// image has a region of; a status; a confidence range (inclusive, on the image's confidence: its most confident
/// region of <see cref="ClassId"/>, or of any class without one; an image with no classified region has none and
/// is left out by a range); a time range on when the image was processed (<see cref="From"/> inclusive,
/// <see cref="To"/> exclusive).
/// </summary>
[GenerateSerializer, Alias("anomalyncd.ImageFilter")]
public sealed record ImageFilter(
    string? ClassId = null,
    ImageFilterStatus Status = ImageFilterStatus.Any,
    double? MinConfidence = null,
    double? MaxConfidence = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null)
{
    public static ImageFilter None { get; } = new();

    public bool HasConfidenceRange => MinConfidence is not null || MaxConfidence is not null;

    /// <summary>The first problem with this filter and page, or null when it may be asked for; names the field.</summary>
    public string? Problem(int skip, int take)
    {
        if (PageLimits.Problem(skip, take) is { } page)
        {
            return page;
        }

        if (ClassId is not null && !GrainKeys.IsValidId(ClassId))
        {
            return $"class '{ClassId}' is not a valid class id";
        }

        if (!Enum.IsDefined(Status))
        {
            return $"status {(int)Status} is not one of {string.Join(", ", Enum.GetNames<ImageFilterStatus>())}";
        }

        if (MinConfidence is { } min && (double.IsNaN(min) || min < 0 || min > 1))
        {
            return $"minConfidence must be between 0 and 1, got {min}";
        }

        if (MaxConfidence is { } max && (double.IsNaN(max) || max < 0 || max > 1))
        {
            return $"maxConfidence must be between 0 and 1, got {max}";
        }

        if (MinConfidence > MaxConfidence)
        {
            return $"minConfidence ({MinConfidence}) must not exceed maxConfidence ({MaxConfidence})";
        }

        return From >= To ? $"from ({From:O}) must be before to ({To:O})" : null;
    }
}

/// <summary>One image as a list shows it: when, its label (most confident classified region), that confidence, its region count.</summary>
[GenerateSerializer, Alias("anomalyncd.ImageListEntry")]
public sealed record ImageListEntry(string ImageId, DateTimeOffset At, string? ClassId, double? Confidence, int RegionCount);

/// <summary>A page of the images that match a filter, newest first, and how many match in all.</summary>
[GenerateSerializer, Alias("anomalyncd.ImageQueryPage")]
public sealed record ImageQueryPage(ImageListEntry[] Items, int Total, int Skip);
