using AnomalyNcd.Contracts.Training;
using AnomalyNcd.Grains.Jobs;

namespace AnomalyNcd.Grains.Detection;

/// <summary>Persisted state of a line's detector fitting job: what was asked and how it ended; the detector itself is an artefact.</summary>
[GenerateSerializer, Alias("anomalyncd.DetectorFitState")]
public sealed class DetectorFitState : IJobRecord
{
    [Id(0)] public string? JobId { get; set; }

    [Id(1)] public TrainingState State { get; set; }

    [Id(2)] public string? RequestedBy { get; set; }

    [Id(3)] public string? Message { get; set; }

    [Id(4)] public string? DetectorVersion { get; set; }

    [Id(5)] public string? SiloAddress { get; set; }

    [Id(6)] public DateTimeOffset? StartedAt { get; set; }

    [Id(7)] public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>One line per start, restart, completion or failure, for operators.</summary>
    [Id(8)] public List<string> Log { get; set; } = [];
}
