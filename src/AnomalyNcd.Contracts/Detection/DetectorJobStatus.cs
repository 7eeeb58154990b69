using AnomalyNcd.Contracts.Training;

namespace AnomalyNcd.Contracts.Detection;

/// <summary>
/// The detector fitting job of a line: its state (the training job's states), progress 0–1 within the current
/// <paramref name="Stage"/> (features, coreset, calibration), and the version it produced once completed.
/// </summary>
[GenerateSerializer, Alias("anomalyncd.DetectorJobStatus")]
public sealed record DetectorJobStatus(
    string LineId,
    string? JobId,
    TrainingState State,
    string? Stage,
    double Progress,
    string? Message,
    string? DetectorVersion,
    string? SiloAddress,
    string? RequestedBy,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt)
{
    public static DetectorJobStatus Idle(string lineId) => new(lineId, null, TrainingState.Idle, null, 0, null, null, null, null, null, null);
}
