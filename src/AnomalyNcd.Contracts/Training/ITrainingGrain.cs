namespace AnomalyNcd.Contracts.Training;

/// <summary>
/// Discovery training for one line (key: line id). Runs as a background job with progress, checkpoints
/// every epoch, cancellation, and resume after a silo loss (a reminder re-activates it). Placed only on
/// silos that advertise an accelerator. Produces a model version; promotion is a separate, explicit step.
/// </summary>
[Alias("anomalyncd.ITrainingGrain")]
public interface ITrainingGrain : IGrainWithStringKey
{
    [Alias("Start")] Task<TrainingStatus> StartAsync(TrainingRequest request);

    [Alias("GetStatus")] Task<TrainingStatus> GetStatusAsync();

    [Alias("Cancel")] Task<TrainingStatus> CancelAsync();
}
