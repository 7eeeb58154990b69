using AnomalyNcd.Contracts.Lines;

namespace AnomalyNcd.Grains.Lines;

/// <summary>
/// Evaluates a line's alarm rules over its image records and classes at a given time (no cluster, no clock of its
/// own). A rate rule measures the share of the window's images (recorded in (now − window, now]) that match it and
/// fires when it is strictly above the threshold; an alarm holds since the first matching image of the window.
/// A new-class rule fires while a proposed class exists, since the oldest one was proposed.
/// </summary>
public static class AlarmEvaluator
{
    public static ActiveAlarm[] Evaluate(IEnumerable<AlarmRule> rules, IEnumerable<RecordedImage> images, IReadOnlyList<DefectClass> classes, DateTimeOffset now)
    {
        var recorded = images.Where(i => i.At <= now).ToArray();
        var alarms = new List<ActiveAlarm>();
        foreach (var rule in rules)
        {
            if (Evaluate(rule, recorded, classes, now) is { } alarm)
            {
                alarms.Add(alarm);
            }
        }

        return [.. alarms];
    }

    public static ActiveAlarm? Evaluate(AlarmRule rule, IReadOnlyCollection<RecordedImage> images, IReadOnlyList<DefectClass> classes, DateTimeOffset now)
    {
        if (rule.Kind == AlarmKind.NewClass)
        {
            var proposed = classes.Where(c => c.Status == ClassStatus.Proposed).ToArray();
            return proposed.Length == 0 ? null : new ActiveAlarm(rule, rule.Describe(), proposed.Length, proposed.Min(c => c.UpdatedAt));
        }

        var from = now - TimeSpan.FromMinutes(rule.WindowMinutes);
        var window = images.Where(i => i.At > from && i.At <= now).ToArray();
        if (window.Length == 0)
        {
            return null;
        }

        Func<RecordedImage, bool> matches = rule.Kind == AlarmKind.ClassShare
            ? i => i.Regions.Any(r => string.Equals(r.ClassId, rule.ClassId, StringComparison.Ordinal))
            : i => i.Regions.Count > 0;
        var matching = window.Where(matches).ToArray();
        var percent = 100.0 * matching.Length / window.Length;
        return percent > rule.ThresholdPercent
            ? new ActiveAlarm(rule, rule.Describe(), percent, matching.Min(i => i.At))
            : null;
    }
}
