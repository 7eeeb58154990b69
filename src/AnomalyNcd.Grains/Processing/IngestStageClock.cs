namespace AnomalyNcd.Grains.Processing;

/// <summary>
/// The former stage clock's one remaining call site (the line grain's group commit) records through this until that
/// line reads <c>Processing.IngestMetrics.Record(Processing.IngestStage.LineStateWrite, stage);</c>; then delete this file.
/// </summary>
public static class IngestStageClock
{
    /// <summary>Forwards to <see cref="IngestMetrics.Stages"/> under the given tag.</summary>
    public static void Record(string stage, long startTimestamp) => IngestMetrics.Stages.Record(stage, startTimestamp);
}
