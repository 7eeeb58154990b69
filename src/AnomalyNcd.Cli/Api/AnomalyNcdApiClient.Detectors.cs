using AnomalyNcd.Contracts.Detection;

namespace AnomalyNcd.Cli.Api;

/// <summary>A line's detector: <c>POST|GET …/detector</c> (the fitting job) and <c>POST …/detectors/{version}/promote</c>.</summary>
internal sealed partial class AnomalyNcdApiClient
{
    /// <summary>Starts fitting a detector on the line's normal images (409 while one runs or without normal images).</summary>
    public Task<DetectorJobStatus> StartDetectorFitAsync(string line, CancellationToken cancellationToken) =>
        CallAsync<DetectorJobStatus>(HttpMethod.Post, $"{LinePath(line)}/detector", null, $"starting the detector fit of line '{line}'", cancellationToken);

    public Task<DetectorJobStatus> GetDetectorFitAsync(string line, CancellationToken cancellationToken) =>
        CallAsync<DetectorJobStatus>(HttpMethod.Get, $"{LinePath(line)}/detector", null, $"reading the detector fit of line '{line}'", cancellationToken);

    public Task<DetectorVersion> PromoteDetectorAsync(string line, string version, CancellationToken cancellationToken) =>
        CallAsync<DetectorVersion>(HttpMethod.Post, $"{LinePath(line)}/detectors/{Uri.EscapeDataString(version)}/promote", null, $"promoting detector {version} of line '{line}'", cancellationToken);
}
