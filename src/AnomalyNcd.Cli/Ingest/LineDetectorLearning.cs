using System.Diagnostics;
using System.Globalization;
using AnomalyNcd.Cli.Api;
using AnomalyNcd.Contracts.Detection;
using AnomalyNcd.Contracts.Training;

namespace AnomalyNcd.Cli.Ingest;

/// <summary>
/// How a line learns its detector through the API, as a plant does it: the defect-free images are uploaded with
/// <c>normal=true</c>, <c>POST …/detector</c> fits on them (a background job), and the fitted version is promoted, so
/// the line then makes the anomaly map of every image sent without one.
/// </summary>
internal static class LineDetectorLearning
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);

    public static async Task<DetectorVersion> LearnAsync(
        AnomalyNcdApiClient api, string line, IReadOnlyList<ImageUpload> normals, TextWriter output, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        foreach (var normal in normals)
        {
            var outcome = await api.UploadAsync(line, normal with { Normal = true, MapName = null, Map = null, GroundTruth = null }, cancel);
            if (!outcome.Acknowledged)
            {
                throw new HttpRequestException($"normal image {outcome.File} of line '{line}' was refused: {outcome.Status} {outcome.Problem}");
            }
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"detector: {normals.Count} normal images uploaded to line '{line}' in {clock.Elapsed.TotalSeconds:0.0} s; fitting …"));
        output.Flush();
        clock.Restart();
        var status = await api.StartDetectorFitAsync(line, cancel);
        var lastStage = status.Stage;
        while (status.State == TrainingState.Running)
        {
            await Task.Delay(Poll, cancel);
            status = await api.GetDetectorFitAsync(line, cancel);
            if (status.Stage != lastStage && status.State == TrainingState.Running)
            {
                lastStage = status.Stage;
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"detector: {status.Stage} ({clock.Elapsed.TotalSeconds:0} s)"));
                output.Flush();
            }
        }

        if (status.State != TrainingState.Completed || status.DetectorVersion is not { } version)
        {
            throw new HttpRequestException($"the detector fit of line '{line}' ended {status.State.ToString().ToLowerInvariant()}: {status.Message}");
        }

        var promoted = await api.PromoteDetectorAsync(line, version, cancel);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"detector: version {promoted.Version} fitted on {promoted.NormalImages} normal images in {clock.Elapsed.TotalSeconds:0.0} s ({promoted.Calibration}), promoted"));
        return promoted;
    }
}
