using AnomalyNcd.Contracts.Images;
using AnomalyNcd.Contracts.Regions;
using AnomalyNcd.Contracts.Training;

namespace AnomalyNcd.Contracts.Lines;

/// <summary>
/// One product line (key: line id): settings, class catalogue, rolling counts, the promoted model.
/// Lines exist once created; every other call on an uncreated line fails with a <see cref="RequestRejectedException"/> of kind NotFound.
/// </summary>
[Alias("anomalyncd.IProductLineGrain")]
public interface IProductLineGrain : IGrainWithStringKey
{
    [Alias("Create")] Task<LineSummary> CreateAsync(LineSettings settings);

    [Alias("Exists")] Task<bool> ExistsAsync();

    [Alias("GetSummary")] Task<LineSummary> GetSummaryAsync();

    /// <summary>The line's settings alone (cheaper than the summary, which the upload path does not need).</summary>
    [Alias("GetSettings")] Task<LineSettings> GetSettingsAsync();

    [Alias("UpdateSettings")] Task<LineSummary> UpdateSettingsAsync(LineSettings settings);

    /// <summary>Called by an image grain once it is classified (or has no anomaly): updates counts and the catalogue.</summary>
    [Alias("RecordImage")] Task RecordImageAsync(ImageResult result);

    /// <summary>Records several images with one state write (batched uploads); the same as recording each in turn.</summary>
    [Alias("RecordImages")] Task RecordImagesAsync(ImageResult[] results);

    /// <summary>Image ids, newest first, paged.</summary>
    [Alias("ListImages")] Task<string[]> ListImagesAsync(int skip, int take);

    /// <summary>The images that match a filter, newest first, paged; Invalid for a bad filter or page (<see cref="ImageFilter.Problem"/>).</summary>
    [Alias("QueryImages")] Task<ImageQueryPage> QueryImagesAsync(ImageFilter filter, int skip, int take);

    [Alias("GetClasses")] Task<DefectClass[]> GetClassesAsync();

    /// <summary>Class ids that no longer stand for themselves (merged away, or mapped onto a confirmed class): a new model must not reuse them.</summary>
    [Alias("GetRetiredClassIds")] Task<string[]> GetRetiredClassIdsAsync();

    /// <summary>Replaces the proposed classes with a finished training run's classes (confirmed ones keep their names).</summary>
    [Alias("RegisterModel")] Task RegisterModelAsync(ModelVersion model);

    /// <summary>The explicit gate: only a promoted model classifies new images.</summary>
    [Alias("Promote")] Task<ModelVersion> PromoteAsync(string version, string user);

    [Alias("GetPromotedModel")] Task<ModelVersion?> GetPromotedModelAsync();

    /// <summary>
    /// Classifies, with the promoted model, every image of the line whose regions that model has not labelled yet
    /// (e.g. the images ingested before a promotion), a few at a time. NotReady when no model is promoted.
    /// A large line takes minutes, far past the default 30 s call timeout, hence its own.
    /// </summary>
    [Alias("Reclassify"), ResponseTimeout("00:30:00")] Task<LineReclassification> ReclassifyAsync();

    [Alias("ConfirmClass")] Task<DefectClass> ConfirmClassAsync(string classId, string name, string user);

    [Alias("RenameClass")] Task<DefectClass> RenameClassAsync(string classId, string name, string user);

    [Alias("MergeClasses")] Task<DefectClass> MergeClassesAsync(string sourceClassId, string targetClassId, string user);

    [Alias("SplitClass")] Task<DefectClass> SplitClassAsync(string classId, RegionKey[] regions, string? newName, string user);

    [Alias("RejectClass")] Task<DefectClass> RejectClassAsync(string classId, string user);

    [Alias("GetDecisions")] Task<ClassDecision[]> GetDecisionsAsync(int skip, int take);

    /// <summary>Adds a decision taken by another grain of the line (a detector promotion) to the line's audit log.</summary>
    [Alias("Audit")] Task AuditAsync(string action, string user, string before, string after);

    /// <summary>A review-queue decision on single regions (reject, move to a class, keep): checked, audited, stored by each region grain.</summary>
    [Alias("DecideRegions")] Task<RegionResult[]> DecideRegionsAsync(RegionKey[] regions, OperatorDecision decision);

    [Alias("GetAlarmRules")] Task<AlarmRule[]> GetAlarmRulesAsync();

    /// <summary>Replaces the line's alarm rules (audited like class decisions); Invalid when a rule breaks <see cref="AlarmRule.Problem(IReadOnlyList{AlarmRule})"/>.</summary>
    [Alias("SetAlarmRules")] Task<AlarmRule[]> SetAlarmRulesAsync(AlarmRule[] rules, string user);

    /// <summary>The alarms that fire now (<see cref="AlarmRule"/> evaluated over the line's images and classes).</summary>
    [Alias("GetAlarms")] Task<ActiveAlarm[]> GetAlarmsAsync();

    /// <summary>The images recorded in [from, to), oldest first, for trends; Invalid for a range <see cref="ImageActivity.RangeProblem"/> refuses.</summary>
    [Alias("GetActivity")] Task<ImageActivity[]> GetActivityAsync(DateTimeOffset from, DateTimeOffset to);
}
