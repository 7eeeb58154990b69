using AnomalyNcd.Contracts.Training;

namespace AnomalyNcd.Grains.Jobs;

/// <summary>What every long job's persisted state says about the job itself (its own state class adds the rest).</summary>
public interface IJobRecord
{
    string? JobId { get; }

    TrainingState State { get; set; }

    string? Message { get; set; }

    DateTimeOffset? FinishedAt { get; set; }

    /// <summary>One line per start, resume, completion, cancel or failure, for operators.</summary>
    List<string> Log { get; }
}
