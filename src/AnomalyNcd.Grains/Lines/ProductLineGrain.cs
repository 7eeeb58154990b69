using AnomalyNcd.Contracts;
using AnomalyNcd.Contracts.Images;
using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Contracts.Regions;
using AnomalyNcd.Contracts.Training;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Concurrency;
using Orleans.Serialization.Invocation;
using Orleans.Storage;

namespace AnomalyNcd.Grains.Lines;

/// <summary>
/// One product line (key: line id). The rules live in plain classes over the line's state: the class catalogue (<see cref="ClassCatalogue"/>), the image
/// ledger (<see cref="ImageLedger"/>), the models (<see cref="ModelRegistry"/>), the audit log (<see cref="DecisionLog"/>; other grains add to it through
/// <see cref="LineAudit"/>) and the group-committed writes (<see cref="LineStateWrites"/>). The grain keeps activation, which calls interleave, the watchers'
/// notifications and telling region grains of decisions. Every image of the line reports here, so this one activation is on the ingest hot path: recording
/// an image and the read-only queries interleave, and their state writes are group-committed.
/// </summary>
[MayInterleave(nameof(MayInterleave))]
public sealed class ProductLineGrain(
    [PersistentState("line", GrainsSiloBuilderExtensions.StateStorage)] IPersistentState<ProductLineState> state)
    : Grain, IProductLineGrain
{
    public const int MaxRepresentatives = ImageLedger.MaxRepresentatives;
    public const int MaxDecisions = DecisionLog.MaxDecisions;
    public const int MaxPage = PageLimits.MaxTake;

    private ClassCatalogue catalogue = null!;
    private ImageLedger ledger = null!;
    private ModelRegistry models = null!;
    private DecisionLog log = null!;
    private LineStateWrites writes = null!;
    private LineImageRecords records = null!;

    private string LineId => this.GetPrimaryKeyString();

    private ProductLineState Line => state.State;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        records = new LineImageRecords(ServiceProvider.GetRequiredKeyedService<IGrainStorage>(GrainsSiloBuilderExtensions.StateStorage), this.GetGrainId());
        await records.LoadAsync(Line.ImageCount);
        await LineStateMigration.MoveRecordsOutOfStateAsync(state, records);
        catalogue = new ClassCatalogue(Line, LineId);
        ledger = new ImageLedger(Line, records, catalogue, LineId);
        models = new ModelRegistry(Line, LineId);
        log = new DecisionLog(Line, LineId);
        writes = new LineStateWrites(state, records);
        if (ledger.Recount())
        {
            writes.MarkLineChanged();
        }

        await base.OnActivateAsync(cancellationToken);
    }

    /// <summary>
    /// Image records (which only change this grain's state synchronously before awaiting the write) and read-only
    /// queries may run while another call awaits a write; everything else keeps the usual one-call-at-a-time turn.
    /// </summary>
    public static bool MayInterleave(IInvokable request) =>
        request.GetMethodName() is nameof(RecordImageAsync) or nameof(RecordImagesAsync) or nameof(ExistsAsync) or nameof(GetSummaryAsync) or nameof(GetPromotedModelAsync)
            or nameof(QueryImagesAsync);

    public async Task<LineSummary> CreateAsync(LineSettings settings)
    {
        if (!GrainKeys.IsValidId(LineId))
        {
            throw RequestRejectedException.Invalid($"'{LineId}' is not a valid line id (1–{GrainKeys.MaxIdLength} letters, digits, '-', '_' or '.')");
        }

        Validate(settings);
        if (Line.Created)
        {
            return Line.Settings == settings
                ? Summary()
                : throw RequestRejectedException.Conflict($"line {LineId} already exists with other settings");
        }

        Line.Created = true;
        Line.Settings = settings;
        Line.CreatedAt = DateTimeOffset.UtcNow;
        await writes.PersistAsync();
        NotifyWatchers(LineChangeKind.Settings);
        await GrainFactory.GetGrain<ILineDirectoryGrain>(0).AddAsync(LineId);
        return Summary();
    }

    public Task<bool> ExistsAsync() => Task.FromResult(Line.Created);

    public Task<LineSummary> GetSummaryAsync() => ReadAsync(Summary);

    public Task<LineSettings> GetSettingsAsync() => Task.FromResult(EnsureCreated().Settings);

    public async Task<LineSummary> UpdateSettingsAsync(LineSettings settings)
    {
        EnsureCreated();
        Validate(settings);
        Line.Settings = settings;
        await writes.PersistAsync();
        NotifyWatchers(LineChangeKind.Settings);
        return Summary();
    }

    public Task RecordImageAsync(ImageResult result) => RecordImagesAsync([result]);

    public async Task RecordImagesAsync(ImageResult[] results)
    {
        EnsureCreated();
        if (results.FirstOrDefault(r => r.LineId != LineId) is { } foreign)
        {
            throw RequestRejectedException.Invalid($"image {foreign.ImageId} belongs to line {foreign.LineId}, not {LineId}");
        }

        if (results.Length == 0)
        {
            return;
        }

        var now = DateTimeOffset.UtcNow;
        var lineChanged = false;
        foreach (var result in results)
        {
            lineChanged |= ledger.Record(result, now);
        }

        await writes.PersistAsync(lineChanged);
        NotifyWatchers(LineChangeKind.Image);
    }

    public Task<string[]> ListImagesAsync(int skip, int take)
    {
        EnsureCreated();
        CheckPage(skip, take);
        return Task.FromResult(ledger.PageNewestFirst(skip, take));
    }

    public Task<ImageQueryPage> QueryImagesAsync(ImageFilter filter, int skip, int take) => ReadAsync(() => ledger.Query(filter, skip, take));

    public Task<DefectClass[]> GetClassesAsync() => ReadAsync(catalogue.List);

    public Task<string[]> GetRetiredClassIdsAsync() => ReadAsync(catalogue.RetiredIds);

    public async Task RegisterModelAsync(ModelVersion model)
    {
        EnsureCreated();
        models.Register(model, catalogue, DateTimeOffset.UtcNow);
        await writes.PersistAsync();
        NotifyWatchers(LineChangeKind.Model);
    }

    public async Task<ModelVersion> PromoteAsync(string version, string user)
    {
        EnsureCreated();
        var now = DateTimeOffset.UtcNow;
        var (promoted, before) = models.Promote(version, user, now);
        log.Add("promote", user, now, before, version);
        await writes.PersistAsync();
        NotifyWatchers(LineChangeKind.Model);
        return promoted;
    }

    public Task<ModelVersion?> GetPromotedModelAsync()
    {
        EnsureCreated();
        return Task.FromResult(models.Promoted);
    }

    /// <summary>Holds the line's turn while the images are classified (their grains call back only with interleaving
    /// calls), so no decision or promotion changes the catalogue under the run.</summary>
    public Task<LineReclassification> ReclassifyAsync()
    {
        EnsureCreated();
        var model = models.Promoted ?? throw RequestRejectedException.NotReady($"line {LineId} has no promoted model to classify with");
        return LineReclassifier.RunAsync(GrainFactory, LineId, ledger.ImagesWithRegions(), model);
    }

    public Task<DefectClass> ConfirmClassAsync(string classId, string name, string user) =>
        DecideAsync(user, now => catalogue.Confirm(classId, name, now));

    public Task<DefectClass> RenameClassAsync(string classId, string name, string user) =>
        DecideAsync(user, now => catalogue.Rename(classId, name, now));

    public Task<DefectClass> MergeClassesAsync(string sourceClassId, string targetClassId, string user) =>
        DecideAsync(user, now => catalogue.Merge(sourceClassId, targetClassId, ledger, now));

    public Task<DefectClass> SplitClassAsync(string classId, RegionKey[] regions, string? newName, string user) =>
        DecideAsync(user, now => catalogue.Split(classId, regions, newName, ledger, now));

    public Task<DefectClass> RejectClassAsync(string classId, string user) =>
        DecideAsync(user, now => catalogue.Reject(classId, now));

    public Task<ClassDecision[]> GetDecisionsAsync(int skip, int take)
    {
        EnsureCreated();
        CheckPage(skip, take);
        return Task.FromResult(log.Page(skip, take));
    }

    public async Task<RegionResult[]> DecideRegionsAsync(RegionKey[] regions, OperatorDecision decision)
    {
        var (before, after) = RegionDecisionAudit.Describe(EnsureCreated(), LineId, regions, decision);
        await RegionDecisionAudit.EnsureRegionsExistAsync(GrainFactory, regions);
        log.Add(decision.Action, decision.User, decision.At, before, after);
        await writes.PersistAsync();
        NotifyWatchers(LineChangeKind.Classes);
        return await Task.WhenAll(regions.Select(r => GrainFactory.GetGrain<IRegionGrain>(r.GrainKey).DecideAsync(decision)));
    }

    public Task<AlarmRule[]> GetAlarmRulesAsync() => Task.FromResult(LineAlarms.Rules(EnsureCreated()));

    public async Task<AlarmRule[]> SetAlarmRulesAsync(AlarmRule[] rules, string user)
    {
        LineAlarms.Replace(EnsureCreated(), rules, log, user, DateTimeOffset.UtcNow);
        await writes.PersistAsync();
        NotifyWatchers(LineChangeKind.Settings);
        return LineAlarms.Rules(Line);
    }

    public Task<ActiveAlarm[]> GetAlarmsAsync() => Task.FromResult(AlarmEvaluator.Evaluate(
        EnsureCreated().AlarmRules, records.All, catalogue.List(), (ServiceProvider.GetService<TimeProvider>() ?? TimeProvider.System).GetUtcNow()));

    public Task<ImageActivity[]> GetActivityAsync(DateTimeOffset from, DateTimeOffset to)
    {
        EnsureCreated();
        return Task.FromResult(LineActivity.Between(records.All, from, to));
    }

    public Task AuditAsync(string action, string user, string before, string after) => LineAudit.AddAsync(EnsureCreated(), log, writes, action, user, before, after);

    /// <summary>
    /// Every operator decision: the catalogue checks, audits and mutates (<paramref name="decide"/>, which changes
    /// nothing when it refuses); the grain logs, stores, tells the watchers and then the moved regions' grains.
    /// </summary>
    private async Task<DefectClass> DecideAsync(string user, Func<DateTimeOffset, ClassChange> decide)
    {
        EnsureCreated();
        var now = DateTimeOffset.UtcNow;
        var change = decide(now);
        log.Add(change.Action, user, now, change.Before, change.After);
        await writes.PersistAsync();
        NotifyWatchers(LineChangeKind.Classes);
        if (change.Moved.Length > 0)
        {
            await TellRegionsAsync(change.Moved, new OperatorDecision(change.Action, change.Result.ClassId, user, now));
        }

        return change.Result;
    }

    /// <summary>Moved regions remember the decision (training reads their new class); one without a grain of its own
    /// (recorded by hand, never ingested) has nothing to update: the decision still stands.</summary>
    private Task TellRegionsAsync(RegionKey[] regions, OperatorDecision decision) =>
        Task.WhenAll(regions.Select(async r =>
        {
            try
            {
                await GrainFactory.GetGrain<IRegionGrain>(r.GrainKey).DecideAsync(decision);
            }
            catch (RequestRejectedException missing) when (missing.Kind == RejectionKind.NotFound)
            {
            }
        }));

    /// <summary>Tells the line's watcher (dashboards) that something was stored; one-way, never awaited.</summary>
    private void NotifyWatchers(LineChangeKind kind) => _ = GrainFactory.GetGrain<ILineWatcherGrain>(LineId).NotifyAsync(new LineChange(LineId, kind, DateTimeOffset.UtcNow));

    private LineSummary Summary() => new(
        LineId, Line.Settings, ledger.Count, Line.AnomalousImageCount, Line.RegionCount, catalogue.List(), models.Promoted, models.All, Line.LastImageAt);

    private ProductLineState EnsureCreated() =>
        Line.Created ? Line : throw RequestRejectedException.NotFound($"line {LineId} does not exist");

    /// <summary>A read-only query of a created line.</summary>
    private Task<T> ReadAsync<T>(Func<T> read)
    {
        EnsureCreated();
        return Task.FromResult(read());
    }

    private static void CheckPage(int skip, int take) => RejectIf(PageLimits.Problem(skip, take));

    private static void Validate(LineSettings settings) => RejectIf(settings.Problem());

    private static void RejectIf(string? problem)
    {
        if (problem is not null)
        {
            throw RequestRejectedException.Invalid(problem);
        }
    }
}
