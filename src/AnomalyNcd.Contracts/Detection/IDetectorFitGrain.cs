using Orleans.Concurrency;

namespace AnomalyNcd.Contracts.Detection;

/// <summary>
/// Fits a line's detector as a background job (key: line id) on an accelerator silo: progress, cancel, and a restart
/// after a silo loss (a reminder re-activates it). The result is a new, unpromoted detector version.
/// </summary>
[Alias("anomalyncd.IDetectorFitGrain")]
public interface IDetectorFitGrain : IGrainWithStringKey
{
    /// <summary>Starts fitting on the line's normal images; NotReady while a job runs or when there are too few normal images.</summary>
    [Alias("Start")] Task<DetectorJobStatus> StartAsync(string requestedBy);

    /// <summary>Interleaves: a status poll need not wait behind a start or cancel that is storing state.</summary>
    [AlwaysInterleave, Alias("GetStatus")] Task<DetectorJobStatus> GetStatusAsync();

    [Alias("Cancel")] Task<DetectorJobStatus> CancelAsync();
}
