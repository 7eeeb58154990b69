using AnomalyNcd.Contracts.Images;

namespace AnomalyNcd.Dashboard.Logic;

/// <summary>
/// Previous / next on the image page within the filter the user came from, carried in the query string
/// (<c>class</c>: the image label's class, <c>status</c>: the image status); without one, the line's image order.
/// </summary>
public sealed record ImagePageFilter(string? ClassId, ImageStatus? Status)
{
    public static ImagePageFilter None { get; } = new(null, null);

    public bool IsEmpty => ClassId is null && Status is null;

    /// <summary>Reads <c>?class=…&amp;status=…</c>; an unknown status is ignored rather than hiding every image.</summary>
    public static ImagePageFilter Parse(string? classId, string? status) =>
        new(string.IsNullOrWhiteSpace(classId) ? null : classId.Trim(),
            Enum.TryParse<ImageStatus>(status, ignoreCase: true, out var s) && Enum.IsDefined(s) ? s : null);

    public bool Matches(ImageResult image) =>
        (ClassId is null || image.Label?.ClassId == ClassId) && (Status is null || image.Status == Status);

    /// <summary>The query string that carries this filter to the next page ("" when empty).</summary>
    public string Query()
    {
        var parts = new List<string>();
        if (ClassId is not null)
        {
            parts.Add($"class={Uri.EscapeDataString(ClassId)}");
        }

        if (Status is { } s)
        {
            parts.Add($"status={s.ToString().ToLowerInvariant()}");
        }

        return parts.Count == 0 ? string.Empty : "?" + string.Join("&", parts);
    }
}

public static class ImageNavigation
{
    /// <summary>The ids before and after <paramref name="current"/> in <paramref name="ordered"/> (null at the ends or when it is not there).</summary>
    public static (string? Previous, string? Next) Neighbours(IReadOnlyList<string> ordered, string current)
    {
        for (var i = 0; i < ordered.Count; i++)
        {
            if (string.Equals(ordered[i], current, StringComparison.Ordinal))
            {
                return (i > 0 ? ordered[i - 1] : null, i + 1 < ordered.Count ? ordered[i + 1] : null);
            }
        }

        return (null, null);
    }

    /// <summary>How an image's state reads to an operator (never the raw enum name).</summary>
    public static string StatusText(ImageStatus status) => status switch
    {
        ImageStatus.Received => "waiting to be analysed",
        ImageStatus.Binarised => "regions found, waiting for a model",
        ImageStatus.Classified => "classified",
        ImageStatus.NoAnomaly => "no anomaly found",
        _ => status.ToString().ToLowerInvariant(),
    };
}
