using System.Diagnostics.Metrics;
using AnomalyNcd.Core.Diagnostics;

namespace AnomalyNcd.Grains.Processing;

/// <summary>
/// The instruments of the ingest path (API, image grain, processor, line): stage times in one histogram tagged by
/// <see cref="IngestStage"/>, and counts of images, regions and refused uploads. <c>anomalyncd bench ingest</c> reads
/// the stages with a <see cref="StageReader"/>; <c>/metrics</c> exports all of them.
/// </summary>
public static class IngestMetrics
{
    public static readonly StageHistogram Stages = new(AnomalyNcdMeter.Meter, "anomalyncd.ingest.stage.duration", "Time of each stage of ingesting an image");

    /// <summary>Uploaded images accepted, tagged <see cref="OutcomeTag"/> = <c>created</c> or <c>already-stored</c>.</summary>
    public static readonly Counter<long> Images = AnomalyNcdMeter.Meter.CreateCounter<long>("anomalyncd.ingest.images", "{image}", "Uploaded images stored and submitted");

    /// <summary>Anomaly regions found in newly processed images.</summary>
    public static readonly Counter<long> Regions = AnomalyNcdMeter.Meter.CreateCounter<long>("anomalyncd.ingest.regions", "{region}", "Anomaly regions found in processed images");

    /// <summary>Uploaded images refused with nothing stored, tagged <see cref="KindTag"/>.</summary>
    public static readonly Counter<long> Rejections = AnomalyNcdMeter.Meter.CreateCounter<long>("anomalyncd.ingest.rejections", "{image}", "Uploaded images refused, nothing stored");

    /// <summary>Tag of <see cref="Images"/>: how an accepted upload ended.</summary>
    public const string OutcomeTag = "outcome";

    /// <summary>Tag of <see cref="Rejections"/>: why an upload was refused.</summary>
    public const string KindTag = "kind";

    // Indexed by the enum, built once: a measurement passes a string it already has.
    private static readonly string[] Names = [.. Enum.GetValues<IngestStage>().Select(ToTag)];

    /// <summary>The tag value of a stage: its area, a dot, then the step (e.g. <c>api.line-record-batch</c>).</summary>
    public static string StageName(IngestStage stage) => Names[(int)stage];

    /// <summary>Adds the time since <paramref name="startTimestamp"/> (a <see cref="System.Diagnostics.Stopwatch.GetTimestamp"/>) to the stage.</summary>
    public static void Record(IngestStage stage, long startTimestamp) => Stages.Record(Names[(int)stage], startTimestamp);

    private static string ToTag(IngestStage stage)
    {
        var name = stage.ToString();
        var tag = new System.Text.StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                // The first hump is the area (api, grain, proc, line); the rest is the step in kebab case.
                tag.Append(tag.ToString().Contains('.') ? '-' : '.');
            }

            tag.Append(char.ToLowerInvariant(name[i]));
        }

        return tag.ToString();
    }
}
