using AnomalyNcd.Contracts;
using AnomalyNcd.Contracts.Detection;
using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Contracts.Training;
using AnomalyNcd.Core.Common;
using AnomalyNcd.Grains.Artefacts;
using AnomalyNcd.Grains.Jobs;
using AnomalyNcd.Grains.Placement;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AnomalyNcd.Grains.Detection;

/// <summary>
/// Fits a line's detector (key: line id) on an accelerator silo, as a <see cref="ReminderJobGrain{TState}"/>: the fit
/// runs on the thread pool and reports progress into fields this activation reads; after a silo loss the job fits
/// again from the start (a fit keeps no checkpoint). A job that is no longer current never registers a version.
/// </summary>
[AcceleratorPlacement]
public sealed class DetectorFitGrain(
    [PersistentState("detector-fit", GrainsSiloBuilderExtensions.StateStorage)] IPersistentState<DetectorFitState> state,
    IArtefactStore artefacts,
    IOptions<DetectorGrainOptions> options,
    ILocalSiloDetails silo,
    ILogger<DetectorFitGrain> logger)
    : ReminderJobGrain<DetectorFitState>(state), IDetectorFitGrain
{
    private readonly FitProgress progress = new();

    protected override string ReminderName => "detector-fit";

    protected override TimeSpan ReminderPeriod => options.Value.ReminderPeriod;

    private string LineId => this.GetPrimaryKeyString();

    private string SiloName => silo.SiloAddress.ToString();

    private DetectorFitState Job => State.State;

    public async Task<DetectorJobStatus> StartAsync(string requestedBy)
    {
        if (Job.State == TrainingState.Running)
        {
            throw RequestRejectedException.NotReady($"line '{LineId}' already has a detector being fitted ({Job.JobId}, started {Job.StartedAt:O})");
        }

        if (!await GrainFactory.GetGrain<IProductLineGrain>(LineId).ExistsAsync())
        {
            throw RequestRejectedException.NotFound($"line '{LineId}' does not exist");
        }

        // Refused here, before any job exists, when the line has too few normal images (the message says what to do).
        var images = await GrainFactory.GetGrain<ILineDetectorGrain>(LineId).GetImagesToFitAsync();
        var now = DateTimeOffset.UtcNow;
        State.State = new DetectorFitState
        {
            JobId = NewJobId(now),
            State = TrainingState.Running,
            RequestedBy = requestedBy,
            StartedAt = now,
            SiloAddress = SiloName,
            Message = $"fitting on {images.Length} normal images",
            Log = [$"{now:O} started on {SiloName} by {requestedBy}"],
        };
        progress.Reset();
        await BeginJobAsync();
        return Status();
    }

    public Task<DetectorJobStatus> GetStatusAsync() => Task.FromResult(Status());

    public async Task<DetectorJobStatus> CancelAsync()
    {
        await CancelRunningJobAsync("cancelled");
        return Status();
    }

    /// <summary>Runs in grain context; only the fit (and its file work) goes to the thread pool.</summary>
    protected override async Task RunJobAsync(string jobId, bool resume, CancellationToken cancellationToken)
    {
        bool IsCurrent() => IsRunning(jobId);
        try
        {
            if (resume)
            {
                progress.Reset();
                Job.SiloAddress = SiloName;
                Job.Log.Add($"{DateTimeOffset.UtcNow:O} fitting again on {SiloName} (the job's activation was lost)");
                logger.LogInformation("Detector fit {Line}/{Job} restarted on {Silo}", LineId, jobId, SiloName);
                await SaveAsync();
            }

            var registry = GrainFactory.GetGrain<ILineDetectorGrain>(LineId);
            var images = await registry.GetImagesToFitAsync();
            var paths = images.Select(i => artefacts.PathOf(i.Image)).ToArray();
            var work = Path.Combine(options.Value.DataFolder, "detectors", "work");
            var fit = options.Value.Fit;
            var fitted = await Task.Run(() => DetectorFitting.Fit(paths, LineId, fit, work, progress, cancellationToken), cancellationToken);
            if (!IsCurrent())
            {
                return;
            }

            var zip = await artefacts.PutAsync(fitted.Zip, "detector", "zip", cancellationToken);
            if (!IsCurrent())
            {
                return; // cancelled while the zip was stored: the artefact stays unreferenced, no version appears
            }

            var version = await registry.RegisterAsync(new DetectorVersion(string.Empty, LineId, zip, fitted.NormalImages, fitted.Calibration, DateTimeOffset.UtcNow, Job.RequestedBy ?? "api", null, null));
            Job.DetectorVersion = version.Version;
            await EndJobAsync(TrainingState.Completed, $"completed: detector {version.Version} fitted on {fitted.NormalImages} normal images; promote it to score uploads without a map");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Cancelled by CancelAsync (state already says so), or the activation/silo is going away and the reminder fits again.
            logger.LogInformation("Detector fit {Line}/{Job} stopped", LineId, jobId);
        }
        catch (Exception ex) when (IsCurrent())
        {
            logger.LogWarning(ex, "Detector fit {Line}/{Job} failed", LineId, jobId);
            await FailJobAsync(ex);
        }
    }

    private DetectorJobStatus Status()
    {
        if (Job.JobId is null)
        {
            return DetectorJobStatus.Idle(LineId);
        }

        var (stage, fraction) = Job.State == TrainingState.Running ? progress.Current : (null, Job.State == TrainingState.Completed ? 1.0 : 0.0);
        return new DetectorJobStatus(LineId, Job.JobId, Job.State, stage, fraction, Job.Message, Job.DetectorVersion, Job.SiloAddress, Job.RequestedBy, Job.StartedAt, Job.FinishedAt);
    }

    /// <summary>The fit's latest progress report (from thread-pool threads), read by status calls.</summary>
    private sealed class FitProgress : IProgress<ProgressUpdate>
    {
        private readonly object gate = new();
        private (string? Stage, double Fraction) current;

        public (string? Stage, double Fraction) Current
        {
            get
            {
                lock (gate)
                {
                    return current;
                }
            }
        }

        public void Report(ProgressUpdate value)
        {
            lock (gate)
            {
                current = (value.Stage, value.Total == 0 ? 0 : Math.Clamp(value.Done / (double)value.Total, 0, 1));
            }
        }

        public void Reset() => Report(new ProgressUpdate("starting", 0, 0));
    }
}
