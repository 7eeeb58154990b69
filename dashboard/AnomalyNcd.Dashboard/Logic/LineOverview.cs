using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Contracts.Training;

namespace AnomalyNcd.Dashboard.Logic;

/// <summary>One row of the overview page, computed from a line's summary and its training status.</summary>
public sealed record LineOverview(
    string LineId,
    int ImageCount,
    int AnomalousImageCount,
    int RegionCount,
    int ConfirmedClasses,
    int ProposedClasses,
    string TrainingState,
    string? PromotedModel,
    DateTimeOffset? LastImageAt)
{
    /// <summary>Share of images with at least one anomaly region, 0 when the line has no image yet.</summary>
    public double AnomalyRate => ImageCount == 0 ? 0 : (double)AnomalousImageCount / ImageCount;

    public static LineOverview From(LineSummary summary, TrainingStatus training) => new(
        summary.LineId,
        summary.ImageCount,
        summary.AnomalousImageCount,
        summary.RegionCount,
        summary.Classes.Count(c => c.Status == ClassStatus.Confirmed),
        summary.Classes.Count(c => c.Status == ClassStatus.Proposed),
        training.State == Contracts.Training.TrainingState.Running
            ? $"running {training.Epoch}/{training.Epochs} ({training.Progress:P0})"
            : training.State.ToString().ToLowerInvariant(),
        summary.PromotedModel?.Version,
        summary.LastImageAt);
}
