namespace AnomalyNcd.Grains.Processing;

/// <summary>
/// The former stage clock's one remaining call site (the line grain's group commit) records through this until that
/// line reads <c>Processing.IngestMetrics.Record(Processing.IngestStages.LineStateWrite, stage);</c>; then delete this file.
/// </summary>
public static class IngestStageClock
{
    /// <summary>Forwards to <see cref="IngestMetrics.Record"/>.</summary>
    public static void Record(string stage, long startTimestamp) => IngestMetrics.Record(stage, startTimestamp);
}
