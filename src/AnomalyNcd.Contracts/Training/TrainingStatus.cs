namespace AnomalyNcd.Contracts.Training;

[GenerateSerializer, Alias("anomalyncd.TrainingStatus")]
public sealed record TrainingStatus(
    string LineId,
    string? JobId,
    TrainingState State,
    int Epoch,
    int Epochs,
    double Progress,
    string? Message,
    string? ModelVersion,
    string? SiloAddress,
    double[] LossHistory,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt)
{
    public static TrainingStatus Idle(string lineId) => new(lineId, null, TrainingState.Idle, 0, 0, 0, null, null, null, [], null, null);
}
