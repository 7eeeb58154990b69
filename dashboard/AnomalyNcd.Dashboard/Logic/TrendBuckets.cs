using AnomalyNcd.Contracts.Lines;

namespace AnomalyNcd.Dashboard.Logic;

/// <summary>One bucket of a trend: its start (local time), images, anomalous images and regions per class.</summary>
public sealed record TrendBucket(DateTimeOffset Start, string Label, int Images, int AnomalousImages, IReadOnlyDictionary<string, int> ClassCounts)
{
    public double AnomalyRate => Images == 0 ? 0 : (double)AnomalousImages / Images;
}

/// <summary>
/// Buckets a line's image activity per hour or per shift, in a given time zone (the server's local time unless told).
/// Shifts start at <see cref="ShiftStarts"/> hours (06–14, 14–22, 22–06 by default); a night shift that starts at 22:00
/// belongs to the day it starts on. Every bucket in the range appears, empty ones too, so gaps show as zero.
/// </summary>
public sealed class TrendBuckets(TimeZoneInfo zone, IReadOnlyList<int>? shiftStarts = null)
{
    public IReadOnlyList<int> ShiftStarts { get; } = [.. (shiftStarts ?? [6, 14, 22]).Order()];

    /// <summary>One bucket per hour from the hour containing <paramref name="from"/> up to <paramref name="to"/> (the activity is already of that range).</summary>
    public List<TrendBucket> PerHour(IEnumerable<ImageActivity> activity, DateTimeOffset from, DateTimeOffset to)
    {
        var local = ToLocal(from);
        var start = new DateTimeOffset(local.Year, local.Month, local.Day, local.Hour, 0, 0, local.Offset);
        var starts = new List<DateTimeOffset>();
        for (var s = start; s < to; s = ToLocal(s.AddHours(1)))
        {
            starts.Add(s);
        }

        return Fill(activity, starts, s => $"{s:MM-dd HH}:00");
    }

    /// <summary>One bucket per shift from the shift containing <paramref name="from"/> up to <paramref name="to"/>.</summary>
    public List<TrendBucket> PerShift(IEnumerable<ImageActivity> activity, DateTimeOffset from, DateTimeOffset to)
    {
        var starts = new List<DateTimeOffset>();
        for (var s = ShiftStart(from); s < to; s = NextShiftStart(s))
        {
            starts.Add(s);
        }

        return Fill(activity, starts, s => $"{s:MM-dd HH}:00 shift");
    }

    /// <summary>The start of the shift that <paramref name="at"/> falls in.</summary>
    public DateTimeOffset ShiftStart(DateTimeOffset at)
    {
        var local = ToLocal(at);
        var day = local.Date;
        var hour = ShiftStarts.LastOrDefault(h => h <= local.Hour, -1);
        return hour < 0 ? At(day.AddDays(-1), ShiftStarts[^1]) : At(day, hour);
    }

    private DateTimeOffset NextShiftStart(DateTimeOffset shift)
    {
        var local = ToLocal(shift);
        var next = ShiftStarts.FirstOrDefault(h => h > local.Hour, -1);
        return next < 0 ? At(local.Date.AddDays(1), ShiftStarts[0]) : At(local.Date, next);
    }

    private DateTimeOffset At(DateTime day, int hour)
    {
        var local = DateTime.SpecifyKind(day.AddHours(hour), DateTimeKind.Unspecified);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    private DateTimeOffset ToLocal(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, zone);

    private static List<TrendBucket> Fill(IEnumerable<ImageActivity> activity, List<DateTimeOffset> starts, Func<DateTimeOffset, string> label)
    {
        var images = new int[starts.Count];
        var anomalous = new int[starts.Count];
        var classes = starts.Select(_ => new Dictionary<string, int>(StringComparer.Ordinal)).ToArray();
        foreach (var image in activity)
        {
            var index = starts.FindLastIndex(s => s <= image.At);
            if (index < 0)
            {
                continue;
            }

            images[index]++;
            anomalous[index] += image.Anomalous ? 1 : 0;
            foreach (var classId in image.ClassIds)
            {
                var key = classId ?? "unclassified";
                classes[index][key] = classes[index].GetValueOrDefault(key) + 1;
            }
        }

        return [.. starts.Select((s, i) => new TrendBucket(s, label(s), images[i], anomalous[i], classes[i]))];
    }
}
