namespace AnomalyNcd.Contracts.Lines;

/// <summary>One recorded image as trends count it: when, whether anomalous, and its regions' class ids (null = unclassified).</summary>
[GenerateSerializer, Alias("anomalyncd.ImageActivity")]
public sealed record ImageActivity(DateTimeOffset At, bool Anomalous, string?[] ClassIds)
{
    /// <summary>Longest range one activity query may span (31 days).</summary>
    public static readonly TimeSpan MaxRange = TimeSpan.FromDays(31);

    /// <summary>The problem with a range [from, to), or null.</summary>
    public static string? RangeProblem(DateTimeOffset from, DateTimeOffset to) =>
        to <= from ? "the range's end must be after its start"
        : to - from > MaxRange ? $"a range spans at most {MaxRange.TotalDays:0} days"
        : null;
}
