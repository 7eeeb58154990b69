using AnomalyNcd.Contracts.Training;
using AnomalyNcd.Grains.Jobs;

namespace AnomalyNcd.Grains.Training;

/// <summary>Persisted state of a line's training job: references and small metadata only, never weights.</summary>
[GenerateSerializer, Alias("anomalyncd.TrainingGrainState")]
public sealed class TrainingGrainState : IJobRecord
{
    [Id(0)] public string? JobId { get; set; }

    [Id(1)] public TrainingRequest? Request { get; set; }

    [Id(2)] public TrainingState State { get; set; }

    /// <summary>Epochs finished (the checkpoint on disk holds epoch <c>Epoch - 1</c>).</summary>
    [Id(3)] public int Epoch { get; set; }

    [Id(4)] public int Epochs { get; set; }

    [Id(5)] public List<double> LossHistory { get; set; } = [];

    /// <summary>Checkpoint folder relative to the data folder (<c>training/&lt;line&gt;/&lt;job&gt;</c>).</summary>
    [Id(6)] public string? CheckpointFolder { get; set; }

    [Id(7)] public string? Message { get; set; }

    [Id(8)] public string? ModelVersion { get; set; }

    [Id(9)] public string? SiloAddress { get; set; }

    [Id(10)] public DateTimeOffset? StartedAt { get; set; }

    [Id(11)] public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>One line per start, resume, completion or failure, for operators (and the resume test).</summary>
    [Id(12)] public List<string> Log { get; set; } = [];
}
