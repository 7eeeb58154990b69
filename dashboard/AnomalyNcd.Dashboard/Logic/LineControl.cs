using AnomalyNcd.Contracts.Lines;

namespace AnomalyNcd.Dashboard.Logic;

/// <summary>A line's state at a glance: alarm or not.</summary>
public enum LineHealth
{
    Ok,
    Alarm,
}

/// <summary>
/// One line of the overview's control room: its health (an active alarm makes it <see cref="LineHealth.Alarm"/>),
/// the alarms, and the work waiting on it (classes to name or confirm, regions to review), each with where it is handled.
/// </summary>
public sealed record LineControl(string LineId, LineHealth Health, ActiveAlarm[] Alarms, int ClassesWaiting, int RegionsWaiting, double AnomalyRate)
{
    /// <summary>The anomaly rate of the last hour's images; null when the line recorded none in that hour.</summary>
    public double? LastHourRate { get; init; }

    /// <summary>"12.0 % last hour vs 5.0 % usual" (usual = the line's rate over all its images).</summary>
    public string RateComparison => LastHourRate is { } recent
        ? $"{recent:P1} last hour vs {AnomalyRate:P1} usual"
        : $"no images in the last hour ({AnomalyRate:P1} usual)";

    public string ClassesLink => PageLinks.Line(LineId);

    public string ReviewLink => PageLinks.Review(LineId);

    /// <summary>Where an alarm is looked into: the line's trends (rate and classes per hour and shift).</summary>
    public string TrendsLink => $"{PageLinks.Line(LineId)}/trends";

    public bool HasPendingWork => ClassesWaiting > 0 || RegionsWaiting > 0;

    /// <summary>Proposed classes wait to be named or confirmed; their regions wait for review.</summary>
    public static LineControl From(LineSummary summary, IReadOnlyList<ActiveAlarm> alarms, IReadOnlyCollection<ImageActivity>? lastHour = null)
    {
        var proposed = summary.Classes.Where(c => c.Status == ClassStatus.Proposed).ToArray();
        return new LineControl(
            summary.LineId,
            alarms.Count > 0 ? LineHealth.Alarm : LineHealth.Ok,
            [.. alarms],
            proposed.Length,
            proposed.Sum(c => c.RegionCount),
            summary.ImageCount == 0 ? 0 : (double)summary.AnomalousImageCount / summary.ImageCount)
        {
            LastHourRate = lastHour is { Count: > 0 } recent ? (double)recent.Count(i => i.Anomalous) / recent.Count : null,
        };
    }

    /// <summary>Lines in alarm first, then those with work waiting, then by id.</summary>
    public static List<LineControl> Order(IEnumerable<LineControl> lines) =>
        [.. lines.OrderBy(l => l.Health == LineHealth.Alarm ? 0 : 1).ThenBy(l => l.HasPendingWork ? 0 : 1).ThenBy(l => l.LineId, StringComparer.Ordinal)];

    /// <summary>"50.0 % (rule: anomaly rate above 25 % in the last 60 min) since 12:30".</summary>
    public static string Describe(ActiveAlarm alarm) =>
        alarm.Rule.Kind == AlarmKind.NewClass
            ? $"{alarm.Description}: {alarm.Measured:0} waiting since {alarm.Since.ToLocalTime():yyyy-MM-dd HH:mm}"
            : $"{alarm.Description}: now {alarm.Measured:0.0} % since {alarm.Since.ToLocalTime():yyyy-MM-dd HH:mm}";
}
