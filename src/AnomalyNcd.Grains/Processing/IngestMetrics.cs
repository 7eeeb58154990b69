using System.Diagnostics.Metrics;
using AnomalyNcd.Core.Diagnostics;

namespace AnomalyNcd.Grains.Processing;

/// <summary>
/// The instruments of the ingest path (API, image grain, processor, line): stage times in one histogram tagged by
/// <see cref="IngestStages"/>, and counts of images, regions and refused uploads. <c>anomalyncd bench ingest</c> reads
/// the stages with a <see cref="StageReader"/>; <c>/metrics</c> exports all of them.
/// </summary>
public static class IngestMetrics
{
    /// <summary>Tag of <see cref="Images"/>: how an accepted upload ended.</summary>
    public const string OutcomeTag = "outcome";

    /// <summary>Tag of <see cref="Rejections"/>: why an upload was refused.</summary>
    public const string KindTag = "kind";

    public static readonly StageHistogram Stages = new(AnomalyNcdMeter.Meter, "anomalyncd.ingest.stage.duration", "Time of each stage of ingesting an image");

    /// <summary>Uploaded images accepted, tagged <see cref="OutcomeTag"/> = <c>created</c> or <c>already-stored</c>.</summary>
    public static readonly Counter<long> Images = AnomalyNcdMeter.Meter.CreateCounter<long>("anomalyncd.ingest.images", "{image}", "Uploaded images stored and submitted");

    /// <summary>Anomaly regions found in newly processed images.</summary>
    public static readonly Counter<long> Regions = AnomalyNcdMeter.Meter.CreateCounter<long>("anomalyncd.ingest.regions", "{region}", "Anomaly regions found in processed images");

    /// <summary>Uploaded images refused with nothing stored, tagged <see cref="KindTag"/>.</summary>
    public static readonly Counter<long> Rejections = AnomalyNcdMeter.Meter.CreateCounter<long>("anomalyncd.ingest.rejections", "{image}", "Uploaded images refused, nothing stored");

    /// <summary>Adds the time since <paramref name="startTimestamp"/> (a <see cref="System.Diagnostics.Stopwatch.GetTimestamp"/>) to the stage.</summary>
    public static void Record(string stage, long startTimestamp) => Stages.Record(stage, startTimestamp);
}

/// <summary>The stages of the ingest path, as <see cref="IngestMetrics.Stages"/> tags them (area prefix, then the step).</summary>
public static class IngestStages
{
    public const string ApiLineExists = "api.line-exists";
    public const string ApiReadForm = "api.read-form";
    public const string ApiValidate = "api.validate";
    public const string ApiExistingCheck = "api.existing-check";
    public const string ApiStoreUpload = "api.store-upload";
    public const string ApiGrainSubmit = "api.grain-submit";
    public const string ApiLineRecordBatch = "api.line-record-batch";
    public const string GrainLineRecord = "grain.line-record";
    public const string GrainLineSummary = "grain.line-summary";
    public const string GrainProcess = "grain.process";
    public const string GrainStateWrites = "grain.state-writes";
    public const string ProcStoreDerived = "proc.store-derived";
    public const string ProcDecode = "proc.decode";
    public const string ProcMebin = "proc.mebin";
    public const string ProcCropEncode = "proc.crop-encode";
    public const string LineStateWrite = "line.state-write";
}
