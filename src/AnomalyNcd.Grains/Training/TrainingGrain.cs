using System.Globalization;
using System.Threading.Channels;
using AnomalyNcd.Contracts;
using AnomalyNcd.Contracts.Images;
using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Contracts.Training;
using AnomalyNcd.Core.Discovery;
using AnomalyNcd.Core.Training;
using AnomalyNcd.Grains.Artefacts;
using AnomalyNcd.Grains.Jobs;
using AnomalyNcd.Grains.Placement;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AnomalyNcd.Grains.Training;

/// <summary>
/// Discovery training for one line (key: line id). The job runs on the thread pool; every epoch is
/// checkpointed into <c>DataFolder/training/&lt;line&gt;/&lt;job&gt;/</c> there, and its report travels back
/// through a channel that this activation drains in grain context — only grain-context code touches
/// state. While a job runs a reminder is registered, so that after a silo loss the grain re-activates
/// elsewhere, finds its state Running without a local job, and resumes from the last checkpoint.
/// </summary>
[AcceleratorPlacement]
public sealed class TrainingGrain : ReminderJobGrain<TrainingGrainState>, ITrainingGrain
{
    private readonly IArtefactStore artefacts;
    private readonly TrainingGrainOptions options;
    private readonly ILogger<TrainingGrain> logger;
    private readonly TimeProvider time;
    private readonly string siloName;

    public TrainingGrain(
        [PersistentState("training", "state")] IPersistentState<TrainingGrainState> state,
        IArtefactStore artefacts,
        IOptions<TrainingGrainOptions> options,
        ILocalSiloDetails silo,
        ILogger<TrainingGrain> logger,
        TimeProvider time)
        : base(state)
    {
        siloName = silo.SiloAddress.ToString();
        this.artefacts = artefacts;
        this.options = options.Value;
        this.logger = logger;
        this.time = time;
    }

    protected override string ReminderName => "training-job";

    protected override TimeSpan ReminderPeriod => options.ReminderPeriod;

    private string LineId => this.GetPrimaryKeyString();

    private TrainingGrainState Job => State.State;

    public async Task<TrainingStatus> StartAsync(TrainingRequest request)
    {
        if (request.Epochs < 1 || LineSettings.ClassCountProblem(request.ClassCount) is not null)
        {
            throw RequestRejectedException.Invalid($"training needs at least one epoch and {LineSettings.MinClassCount}–{LineSettings.MaxClassCount} classes (got {request.Epochs} epochs, {request.ClassCount} classes)");
        }

        if (Job.State == TrainingState.Running)
        {
            throw RequestRejectedException.NotReady($"line '{LineId}' already has a training job running ({Job.JobId}, epoch {Job.Epoch} of {Job.Epochs})");
        }

        if (!await GrainFactory.GetGrain<IProductLineGrain>(LineId).ExistsAsync())
        {
            throw RequestRejectedException.NotFound($"line '{LineId}' does not exist");
        }

        var now = DateTimeOffset.UtcNow;
        var jobId = NewJobId(now);
        State.State = new TrainingGrainState
        {
            JobId = jobId,
            Request = request,
            State = TrainingState.Running,
            Epochs = request.Epochs,
            CheckpointFolder = Path.Combine("training", LineId, jobId),
            StartedAt = now,
            SiloAddress = SiloName,
            Message = "gathering regions",
            Log = [$"{now:O} started on {SiloName}"],
        };
        await BeginJobAsync();
        return Status();
    }

    public Task<TrainingStatus> GetStatusAsync() => Task.FromResult(Status());

    public async Task<TrainingStatus> CancelAsync()
    {
        await CancelRunningJobAsync($"cancelled at epoch {Job.Epoch} of {Job.Epochs}");
        return Status();
    }

    /// <summary>Runs in grain context; only the training itself (and file work) goes to the thread pool.</summary>
    protected override async Task RunJobAsync(string jobId, bool resume, CancellationToken cancellationToken)
    {
        bool IsCurrent() => IsRunning(jobId);
        var folder = Path.Combine(options.DataFolder, Job.CheckpointFolder!);
        try
        {
            if (resume)
            {
                var checkpoint = await Task.Run(() => File.Exists(Path.Combine(folder, TrainingCheckpoint.MetadataFile)) ? TrainingCheckpoint.ReadMetadata(folder) : null);
                if (checkpoint is null)
                {
                    Job.Epoch = 0;
                    Job.LossHistory = [];
                }
                else
                {
                    RecordProgress(checkpoint);
                }

                Job.SiloAddress = SiloName;
                Job.Log.Add($"{DateTimeOffset.UtcNow:O} resumed from epoch {Job.Epoch} on {SiloName}");
                logger.LogInformation("Training {Line}/{Job} resumed from epoch {Epoch} on {Silo}", LineId, jobId, Job.Epoch, SiloName);
                await SaveAsync();
            }

            var gathered = await GatherCropsAsync();
            var request = Job.Request!;
            var discovery = options.Discovery with
            {
                NovelClasses = request.ClassCount ?? gathered.LineClassCount ?? options.Discovery.NovelClasses,
                TokenContrast = options.Discovery.TokenContrast ?? TokenContrastDefaults.ForCrops(gathered.FromDetectorMaps, gathered.UnlabelledCount),
                Training = options.Discovery.Training with { Epochs = request.Epochs, Seed = request.Seed },
            };
            var trainingOptions = new CropDiscoveryOptions(discovery, folder, Resume: true);
            var epochs = Channel.CreateUnbounded<TrainingCheckpoint>();
            var pause = options.EpochPause;
            var work = Task.Run(() =>
            {
                try
                {
                    var result = CropDiscovery.Train(gathered.Crops, trainingOptions, onCheckpoint: checkpoint =>
                    {
                        epochs.Writer.TryWrite(checkpoint);
                        if (pause > TimeSpan.Zero)
                        {
                            // On the silo's TimeProvider; a cancel ends the pause at once (and Train then stops).
                            Task.Delay(pause, time, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default).Wait();
                        }
                    }, cancellationToken: cancellationToken);
                    return (Result: result, Zip: ZipCheckpoint(folder));
                }
                finally
                {
                    epochs.Writer.TryComplete();
                }
            });

            // The reason is named only where the regions' source chose the setting, not the silo's configuration.
            var contrast = discovery.EffectiveTokenContrast > 0
                ? string.Create(CultureInfo.InvariantCulture, $"; token contrast {discovery.EffectiveTokenContrast:0.##}")
                    + (options.Discovery.TokenContrast is null ? ", most regions from the detector's maps" : string.Empty)
                : string.Empty;
            Job.Message = $"training on {gathered.Crops.Count} regions ({gathered.Crops.Count(c => c.BaseLabel is not null)} labelled{contrast})";
            await foreach (var checkpoint in epochs.Reader.ReadAllAsync())
            {
                if (!IsCurrent())
                {
                    continue;
                }

                // From the checkpoint training wrote, not from the one read above: the folder can have moved on
                // in between (a silo declared dead may finish its epoch after this activation read it).
                RecordProgress(checkpoint);
                await SaveAsync();
            }

            var (trained, zip) = await work;
            if (!IsCurrent())
            {
                return;
            }

            RecordProgress(trained.Checkpoint);

            var checkpointArtefact = await artefacts.PutAsync(zip, "model", "zip");
            var model = BuildModel(jobId, trained, checkpointArtefact, gathered);
            await GrainFactory.GetGrain<IProductLineGrain>(LineId).RegisterModelAsync(model);
            Job.ModelVersion = model.Version;
            await EndJobAsync(TrainingState.Completed, $"completed: {model.Classes.Length} classes over {model.RegionCount} regions"
                + (trained.StartEpoch > 0 ? $", resumed from epoch {trained.StartEpoch}" : string.Empty)
                + (model.Nmi is { } nmi ? string.Create(CultureInfo.InvariantCulture, $", NMI {nmi:0.000}, ARI {model.Ari:0.000}, F1 {model.F1:0.000}") : string.Empty));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Cancelled by CancelAsync (state already says so), or the activation/silo is going away: the
            // state stays Running and the next activation resumes from the checkpoint.
            logger.LogInformation("Training {Line}/{Job} stopped at epoch {Epoch}", LineId, jobId, Job.Epoch);
        }
        catch (Exception ex) when (IsCurrent())
        {
            logger.LogWarning(ex, "Training {Line}/{Job} failed", LineId, jobId);
            await FailJobAsync(ex);
        }
    }

    private async Task<GatheredCrops> GatherCropsAsync()
    {
        var line = GrainFactory.GetGrain<IProductLineGrain>(LineId);
        var summary = await line.GetSummaryAsync();
        var confirmed = (await line.GetClassesAsync())
            .Where(c => c.Status == ClassStatus.Confirmed && !string.IsNullOrWhiteSpace(c.Name))
            .ToDictionary(c => c.ClassId, c => c.Name!, StringComparer.Ordinal);
        var images = new List<ImageResult>();
        for (var skip = 0; ; skip += options.ImagePageSize)
        {
            var page = await line.ListImagesAsync(skip, options.ImagePageSize);
            var results = await Task.WhenAll(page.Select(id => GrainFactory.GetGrain<IImageGrain>(GrainKeys.Image(LineId, id)).GetAsync()));
            images.AddRange(results.OfType<ImageResult>());
            if (page.Length < options.ImagePageSize)
            {
                break;
            }
        }

        var labelled = new List<CropToTrain>();
        var unlabelled = new List<CropToTrain>();
        var fromDetectorMaps = 0;
        foreach (var image in images.OrderBy(i => i.ImageId, StringComparer.Ordinal))
        {
            foreach (var region in image.Regions.OrderBy(r => r.Key.Index))
            {
                var classId = region.Decision?.ClassId ?? region.ClassId;
                var baseName = classId is not null && confirmed.TryGetValue(classId, out var name) ? name : null;
                var crop = new CropToTrain(
                    artefacts.PathOf(region.Crop), artefacts.PathOf(region.CropMask), region.Area, region.Score,
                    BaseLabel: baseName,
                    TruthLabel: baseName is null ? image.GroundTruthClass : null,
                    SourceImage: image.ImageId,
                    RegionIndex: region.Key.Index);
                (baseName is null ? unlabelled : labelled).Add(crop);
                fromDetectorMaps += baseName is null && image.DetectorVersion is not null ? 1 : 0;
            }
        }

        if (unlabelled.Count == 0)
        {
            throw RequestRejectedException.NotReady($"line '{LineId}' has no unconfirmed regions to discover classes in ({labelled.Count} labelled, {images.Count} images)");
        }

        var idByName = confirmed.GroupBy(p => p.Value, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Key, StringComparer.Ordinal);
        var retired = await line.GetRetiredClassIdsAsync();
        return new GatheredCrops([.. labelled, .. unlabelled], idByName, summary.Settings.ClassCount, retired, unlabelled.Count, fromDetectorMaps);
    }

    private ModelVersion BuildModel(string jobId, CropDiscoveryResult trained, Contracts.Artefacts.ArtefactRef checkpoint, GatheredCrops gathered)
    {
        var counts = new int[trained.BaseClasses.Count + trained.NovelClasses.Count];
        foreach (var assignment in trained.Assignments)
        {
            counts[assignment.ClassIndex]++;
        }

        var classes = new List<ModelClass>();
        for (var b = 0; b < trained.BaseClasses.Count; b++)
        {
            var name = trained.BaseClasses[b];
            classes.Add(new ModelClass(b, gathered.ClassIdByName[name], name, IsBase: true, counts[b]));
        }

        // Novel classes get "c0", "c1", … skipping ids the catalogue's confirmed classes use and ids the line retired
        // (a merged-away "c1" resolves to its merge target, so a novel "c1" would be shown as that confirmed class).
        var used = gathered.ClassIdByName.Values.Concat(gathered.RetiredClassIds).ToHashSet(StringComparer.Ordinal);
        var next = 0;
        for (var k = 0; k < trained.NovelClasses.Count; k++)
        {
            while (used.Contains($"c{next}"))
            {
                next++;
            }

            var head = trained.BaseClasses.Count + k;
            classes.Add(new ModelClass(head, $"c{next++}", null, IsBase: false, counts[head]));
        }

        var metrics = trained.Metrics;
        return new ModelVersion(jobId, LineId, checkpoint, [.. classes], trained.Assignments.Count, metrics?.Nmi, metrics?.Ari, metrics?.F1, DateTimeOffset.UtcNow, null, null);
    }

    /// <summary>The files a classifier needs (weights and metadata; not the optimizer state) as one zip.</summary>
    /// <summary>The job's epoch and loss curve as <paramref name="checkpoint"/> has them (every epoch up to it).</summary>
    private void RecordProgress(TrainingCheckpoint checkpoint)
    {
        Job.Epoch = checkpoint.Epoch + 1;
        Job.LossHistory = [.. checkpoint.History.Select(h => h.MeanLoss)];
    }

    private static byte[] ZipCheckpoint(string folder) =>
        DeterministicZip.FromFiles(folder, [TrainingCheckpoint.MetadataFile, TrainingCheckpoint.ModelFile]);

    private TrainingStatus Status() => Job.JobId is null
        ? TrainingStatus.Idle(LineId)
        : new TrainingStatus(
            LineId, Job.JobId, Job.State, Job.Epoch, Job.Epochs,
            Job.Epochs == 0 ? 0 : Math.Min(1.0, Job.Epoch / (double)Job.Epochs),
            Job.Message, Job.ModelVersion, Job.SiloAddress, [.. Job.LossHistory], Job.StartedAt, Job.FinishedAt);

    private string SiloName => siloName;

    /// <param name="FromDetectorMaps">Unlabelled crops cut from maps the line's detector made (they decide the token contrast).</param>
    private sealed record GatheredCrops(
        List<CropToTrain> Crops, Dictionary<string, string> ClassIdByName, int? LineClassCount, IReadOnlyCollection<string> RetiredClassIds, int UnlabelledCount, int FromDetectorMaps);
}
