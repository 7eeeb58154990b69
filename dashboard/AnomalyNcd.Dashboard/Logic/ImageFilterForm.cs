using System.Globalization;
using AnomalyNcd.Contracts.Lines;

namespace AnomalyNcd.Dashboard.Logic;

/// <summary>
/// The filter bar's fields as typed (empty = no criterion; times as the browser's local date-time inputs give them,
/// read as UTC) and the <see cref="ImageFilter"/> they make, or the problem that stops it (the contract's own rule).
/// </summary>
public sealed class ImageFilterForm
{
    public string ClassId { get; set; } = string.Empty;

    public ImageFilterStatus Status { get; set; }

    public string MinConfidence { get; set; } = string.Empty;

    public string MaxConfidence { get; set; } = string.Empty;

    public string From { get; set; } = string.Empty;

    public string To { get; set; } = string.Empty;

    /// <summary>The filter, or (null, the problem naming the field).</summary>
    public (ImageFilter? Filter, string? Problem) ToFilter(int take)
    {
        if (!TryNumber(MinConfidence, out var min))
        {
            return (null, $"minConfidence '{MinConfidence}' is not a number");
        }

        if (!TryNumber(MaxConfidence, out var max))
        {
            return (null, $"maxConfidence '{MaxConfidence}' is not a number");
        }

        if (!TryTime(From, out var from))
        {
            return (null, $"from '{From}' is not a date and time");
        }

        if (!TryTime(To, out var to))
        {
            return (null, $"to '{To}' is not a date and time");
        }

        var filter = new ImageFilter(string.IsNullOrWhiteSpace(ClassId) ? null : ClassId.Trim(), Status, min, max, from, to);
        return filter.Problem(0, take) is { } problem ? (null, problem) : (filter, null);
    }

    private static bool TryNumber(string text, out double? value)
    {
        value = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        var ok = double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed);
        value = ok ? parsed : null;
        return ok;
    }

    private static bool TryTime(string text, out DateTimeOffset? value)
    {
        value = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        var ok = DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed);
        value = ok ? parsed : null;
        return ok;
    }
}
