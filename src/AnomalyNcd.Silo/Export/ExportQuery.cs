using System.Globalization;

namespace AnomalyNcd.Silo.Export;

/// <summary>The formats a line can be exported in.</summary>
public enum ExportFormat
{
    Csv,
    Json,
    Coco,
}

/// <summary>
/// What to export: the format and an optional time range on an image's capture (received) time, <see cref="From"/>
/// inclusive, <see cref="To"/> exclusive. <see cref="Parse"/> is the one rule for the query string.
/// </summary>
public sealed record ExportQuery(ExportFormat Format, DateTimeOffset? From, DateTimeOffset? To)
{
    public const string FormatNames = "csv, json or coco";

    /// <summary>The file name extension of the format.</summary>
    public string Extension => Format switch
    {
        ExportFormat.Csv => "csv",
        ExportFormat.Json => "json",
        _ => "coco.json",
    };

    public bool Includes(DateTimeOffset capturedAt) =>
        (From is null || capturedAt >= From) && (To is null || capturedAt < To);

    /// <summary>The query, or a problem naming the parameter that is missing or invalid.</summary>
    public static (ExportQuery? Query, string? Problem) Parse(string? format, string? from, string? to)
    {
        ExportFormat? parsed = format?.Trim().ToLowerInvariant() switch
        {
            "csv" => ExportFormat.Csv,
            "json" => ExportFormat.Json,
            "coco" => ExportFormat.Coco,
            _ => null,
        };
        if (parsed is null)
        {
            return (null, string.IsNullOrWhiteSpace(format)
                ? $"the 'format' parameter is required ({FormatNames})"
                : $"the 'format' parameter '{format}' is not {FormatNames}");
        }

        var (fromTime, fromProblem) = ParseTime("from", from);
        var (toTime, toProblem) = ParseTime("to", to);
        if ((fromProblem ?? toProblem) is { } problem)
        {
            return (null, problem);
        }

        if (fromTime is not null && toTime is not null && fromTime >= toTime)
        {
            return (null, $"the 'from' parameter ({from}) must be before 'to' ({to})");
        }

        return (new ExportQuery(parsed.Value, fromTime, toTime), null);
    }

    private static (DateTimeOffset? Time, string? Problem) ParseTime(string name, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return (null, null);
        }

        return DateTimeOffset.TryParse(value.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? (time, null)
            : (null, $"the '{name}' parameter '{value}' is not an ISO 8601 date and time");
    }
}
