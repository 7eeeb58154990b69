namespace AnomalyNcd.Dashboard.Logic;

/// <summary>Images completed within the last <paramref name="Window"/> before now, and that count per hour of the window.</summary>
public sealed record WindowRate(TimeSpan Window, int Images)
{
    /// <summary>Images in the window divided by the window's length: a burst of 100 images in 2 s reads 100 per hour over the last hour.</summary>
    public double PerHour => Images / Window.TotalHours;

    /// <summary>"last 15 min", "last 1 h".</summary>
    public string Label => Window.TotalMinutes < 60 ? $"last {Window.TotalMinutes:0} min" : $"last {Window.TotalHours:0.#} h";
}

/// <summary>
/// Throughput as a rate over fixed windows ending now. The rate is never the count divided by the span the images
/// happened to arrive in: that reads hundreds of thousands per hour after a burst upload of a few seconds.
/// </summary>
public static class ThroughputWindows
{
    public static readonly TimeSpan Short = TimeSpan.FromMinutes(15);

    public static readonly TimeSpan Long = TimeSpan.FromHours(1);

    public static IReadOnlyList<TimeSpan> Windows { get; } = [Short, Long];

    /// <summary>For each window, the completions in (now − window, now]; completions after now (clock skew) count as now.</summary>
    public static IReadOnlyList<WindowRate> Rates(IEnumerable<DateTimeOffset> completedAt, DateTimeOffset now)
    {
        var times = completedAt.ToList();
        return Windows.Select(w => new WindowRate(w, times.Count(t => t > now - w))).ToList();
    }
}
