using AnomalyNcd.Core.Diagnostics;

namespace AnomalyNcd.Core.Detection;

/// <summary>
/// The time of each <see cref="ScoringStage"/> of scoring an image (feature extraction included, also when a detector
/// is fitted), recorded in one histogram with the stage's name as its tag.
/// </summary>
public static class ScoringMetrics
{
    public static readonly StageHistogram Stages = new(AnomalyNcdMeter.Meter, "anomalyncd.detection.stage.duration", "Time of each stage of scoring an image with a PatchCore detector");

    // Indexed by the enum, built once: a measurement passes a string it already has.
    private static readonly string[] Names = [.. Enum.GetValues<ScoringStage>().Select(ToTag)];

    /// <summary>The tag value of a stage (e.g. <c>nearest-neighbour</c>).</summary>
    public static string StageName(ScoringStage stage) => Names[(int)stage];

    /// <summary>Times <paramref name="stage"/> until the returned scope is disposed.</summary>
    public static StageHistogram.Scope Measure(ScoringStage stage) => Stages.Measure(Names[(int)stage]);

    private static string ToTag(ScoringStage stage) =>
        string.Concat(stage.ToString().Select((c, i) => char.IsUpper(c) ? (i == 0 ? "" : "-") + char.ToLowerInvariant(c) : c.ToString()));
}
