using System.Diagnostics;
using System.Globalization;
using AnomalyNcd.Cli.Api;
using AnomalyNcd.Contracts.Training;
using AnomalyNcd.Silo.Api;

namespace AnomalyNcd.Cli.Bench;

/// <summary>
/// <c>bench ingest --train-epochs N</c>: discovers classes on the regions the warm-up stored and promotes the model, so
/// the measured uploads are classified on arrival as on a line in production.
/// </summary>
internal static class BenchModel
{
    /// <summary>Fixed, so two runs of the bench train the same model.</summary>
    public const int Seed = 7;

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);

    public static async Task TrainAndPromoteAsync(AnomalyNcdApiClient api, string line, int epochs, TextWriter output, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        var status = await api.StartTrainingAsync(line, new TrainingRequestBody(null, epochs, Seed, "bench"), cancel);
        while (status.State == TrainingState.Running)
        {
            await Task.Delay(Poll, cancel);
            status = await api.GetTrainingAsync(line, cancel);
        }

        if (status.State != TrainingState.Completed || status.ModelVersion is not { } version)
        {
            throw new HttpRequestException($"the bench line's discovery ended {status.State.ToString().ToLowerInvariant()}: {status.Message}");
        }

        var model = await api.PromoteAsync(line, version, cancel);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"model: {version} trained on {model.RegionCount} regions ({epochs} epochs) in {clock.Elapsed.TotalSeconds:0.0} s, promoted; the measured uploads are classified on arrival"));
        output.Flush();
    }
}
