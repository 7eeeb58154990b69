namespace AnomalyNcd.Contracts.Training;

[GenerateSerializer, Alias("anomalyncd.TrainingState")]
public enum TrainingState
{
    Idle = 0,
    Running = 1,
    Completed = 2,
    Failed = 3,
    Cancelled = 4,
}
