using AnomalyNcd.Contracts.Lines;

namespace AnomalyNcd.Dashboard.Logic;

/// <summary>"Possible new defect class": a proposed class (it matches no confirmed class) that grew within the window.</summary>
public sealed record NewClassAlert(string LineId, string ClassId, int RegionCount, int Growth);

/// <summary>
/// Remembers how many regions each proposed class had when a page looked, and reports the classes that grew by at
/// least <see cref="MinGrowth"/> regions within <see cref="Window"/>. The history lives in the dashboard process (one
/// instance is registered as a singleton), so growth is measured from the first time this process saw the class.
/// </summary>
public sealed class ClassGrowth(TimeSpan window, int minGrowth = ClassGrowth.DefaultMinGrowth)
{
    public const int DefaultMinGrowth = 3;
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromHours(1);

    private readonly Dictionary<(string Line, string Class), List<(DateTimeOffset At, int Count)>> seen = [];
    private readonly Lock gate = new();

    public ClassGrowth()
        : this(DefaultWindow)
    {
    }

    public TimeSpan Window { get; } = window;

    public int MinGrowth { get; } = minGrowth;

    /// <summary>Records the line's class counts as of <paramref name="now"/> and returns the alerts for it.</summary>
    public IReadOnlyList<NewClassAlert> Observe(LineSummary summary, DateTimeOffset now)
    {
        var alerts = new List<NewClassAlert>();
        lock (gate)
        {
            foreach (var defectClass in summary.Classes)
            {
                var key = (summary.LineId, defectClass.ClassId);
                if (!seen.TryGetValue(key, out var history))
                {
                    seen[key] = history = [];
                }

                // Keep the newest sample older than the window as the baseline, drop anything before it.
                var baseline = history.FindLastIndex(h => h.At <= now - Window);
                if (baseline > 0)
                {
                    history.RemoveRange(0, baseline);
                }

                // Only changes are stored: the count at any moment is the last sample at or before it.
                if (history.Count == 0 || history[^1].Count != defectClass.RegionCount)
                {
                    history.Add((now, defectClass.RegionCount));
                }

                var growth = defectClass.RegionCount - history[0].Count;
                if (defectClass.Status == ClassStatus.Proposed && growth >= MinGrowth)
                {
                    alerts.Add(new NewClassAlert(summary.LineId, defectClass.ClassId, defectClass.RegionCount, growth));
                }
            }
        }

        return alerts;
    }
}
