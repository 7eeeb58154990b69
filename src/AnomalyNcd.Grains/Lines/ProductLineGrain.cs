using System.Text.Json;
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
/// One product line (key: line id): settings, rolling counts, the class catalogue with the operator's
/// decisions (and their audit log), the registered model versions and the promoted one.
/// Every image of the line reports here, so this one activation is on the ingest hot path: recording an image and
/// the read-only queries interleave, and their state writes are group-committed (see <see cref="PersistAsync"/>).
/// </summary>
[MayInterleave(nameof(MayInterleave))]
public sealed class ProductLineGrain(
    [PersistentState("line", GrainsSiloBuilderExtensions.StateStorage)] IPersistentState<ProductLineState> state)
    : Grain, IProductLineGrain
{
    public const int MaxRepresentatives = 8;
    public const int MaxDecisions = 5000;
    public const int MaxPage = 1000;

    private static readonly JsonSerializerOptions AuditJson = new() { WriteIndented = false };

    /// <summary>Changes waiting for the next state write; their callers await it.</summary>
    private TaskCompletionSource? pendingWrite;

    private bool writing;

    /// <summary>Whether the line's own state (not the image chunks) changed since its last write.</summary>
    private bool lineDirty;

    private LineImageRecords images = null!;

    private string LineId => this.GetPrimaryKeyString();

    private ProductLineState Line => state.State;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        images = new LineImageRecords(ServiceProvider.GetRequiredKeyedService<IGrainStorage>(GrainsSiloBuilderExtensions.StateStorage), this.GetGrainId());
        await images.LoadAsync(Line.ImageCount);
        if (Line.Images.Count > 0)
        {
            await MoveRecordsOutOfStateAsync();
        }

        Recount();
        await base.OnActivateAsync(cancellationToken);
    }

    /// <summary>
    /// A line stored before the records had their own chunks: append its records to the chunks (skipping any a
    /// previous, interrupted attempt already moved), store them, and only then drop them from the line's state.
    /// </summary>
    private async Task MoveRecordsOutOfStateAsync()
    {
        foreach (var id in Line.ImageIds.Concat(Line.Images.Keys.Except(Line.ImageIds, StringComparer.Ordinal)).Distinct(StringComparer.Ordinal))
        {
            if (Line.Images.TryGetValue(id, out var record) && !images.TryGet(id, out _))
            {
                record.ImageId = id;
                images.Put(record);
            }
        }

        await images.WriteChangesAsync();
        Line.Images = new(StringComparer.Ordinal);
        Line.ImageIds = [];
        Line.ImageCount = images.Count;
        await state.WriteStateAsync();
    }

    /// <summary>
    /// The totals follow from the image records; recomputing them at activation keeps them right even when a
    /// crash came between a chunk write and the line's own write (or the line skipped its write, see <see cref="RecordImageAsync"/>).
    /// </summary>
    private void Recount()
    {
        Line.RegionCount = 0;
        Line.AnomalousImageCount = 0;
        DateTimeOffset? last = null;
        foreach (var entry in Line.Classes.Values)
        {
            entry.RegionCount = 0;
            entry.ImageCount = 0;
            entry.Representatives.Clear();
        }

        foreach (var record in images.All)
        {
            Count(record.ImageId, record, +1, now: null);
            last = last is null || record.At > last ? record.At : last;
        }

        Line.LastImageAt = last ?? Line.LastImageAt;
    }

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
        await PersistAsync();
        NotifyWatchers(LineChangeKind.Settings);
        await GrainFactory.GetGrain<ILineDirectoryGrain>(0).AddAsync(LineId);
        return Summary();
    }

    /// <summary>Tells the line's watcher (dashboards) that something was stored; one-way, never awaited.</summary>
    private void NotifyWatchers(LineChangeKind kind) =>
        _ = GrainFactory.GetGrain<ILineWatcherGrain>(LineId).NotifyAsync(new LineChange(LineId, kind, DateTimeOffset.UtcNow));

    public Task<bool> ExistsAsync() => Task.FromResult(Line.Created);

    public Task<LineSummary> GetSummaryAsync()
    {
        EnsureCreated();
        return Task.FromResult(Summary());
    }

    public async Task<LineSummary> UpdateSettingsAsync(LineSettings settings)
    {
        EnsureCreated();
        Validate(settings);
        Line.Settings = settings;
        await PersistAsync();
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
            lineChanged |= Record(result, now);
        }

        await PersistAsync(lineChanged);
        NotifyWatchers(LineChangeKind.Image);
    }

    /// <summary>Puts one image's record in memory; true when the line's own state needs a write.</summary>
    private bool Record(ImageResult result, DateTimeOffset now)
    {
        var known = images.TryGet(result.ImageId, out var previous);
        if (known)
        {
            Count(result.ImageId, previous, -1, now);
        }

        var recorded = new RecordedImage
        {
            ImageId = result.ImageId,
            At = result.ProcessedAt ?? result.ReceivedAt,
            Regions = [.. result.Regions.Select(r => new RecordedRegion(r.Key.Index, r.ClassId is null ? null : Resolve(r.ClassId), r.Confidence))],
        };
        images.Put(recorded);
        Count(result.ImageId, recorded, +1, now);
        if (Line.LastImageAt is null || recorded.At > Line.LastImageAt)
        {
            Line.LastImageAt = recorded.At;
        }

        // Totals and the last-image time are recomputed from the records at activation, so the line's own state
        // needs a write only when the catalogue changed, and now and then to keep its chunk-count hint close.
        var catalogueTouched = (known && previous.Regions.Any(r => r.ClassId is not null)) || recorded.Regions.Any(r => r.ClassId is not null);
        var chunkStarted = !known && images.Count % LineImageRecords.ChunkSize == 1;
        return catalogueTouched || chunkStarted;
    }

    public Task<string[]> ListImagesAsync(int skip, int take)
    {
        EnsureCreated();
        CheckPage(skip, take);
        return Task.FromResult(images.PageNewestFirst(skip, take));
    }

    public Task<DefectClass[]> GetClassesAsync()
    {
        EnsureCreated();
        return Task.FromResult(Catalogue());
    }

    public Task<string[]> GetRetiredClassIdsAsync()
    {
        EnsureCreated();
        return Task.FromResult(Line.Aliases.Keys.Order(StringComparer.Ordinal).ToArray());
    }

    public async Task RegisterModelAsync(ModelVersion model)
    {
        EnsureCreated();
        if (model.LineId != LineId)
        {
            throw RequestRejectedException.Invalid($"model {model.Version} was trained for line {model.LineId}, not {LineId}");
        }

        if (!GrainKeys.IsValidId(model.Version))
        {
            throw RequestRejectedException.Invalid($"'{model.Version}' is not a valid model version id");
        }

        var now = DateTimeOffset.UtcNow;
        var index = Line.Models.FindIndex(m => m.Version == model.Version);
        if (index >= 0)
        {
            // Registering again (a retried call) replaces the record but keeps its promotion.
            var existing = Line.Models[index];
            Line.Models[index] = model with { PromotedAt = existing.PromotedAt, PromotedBy = existing.PromotedBy };
        }
        else
        {
            Line.Models.Add(model);
        }

        var modelClassIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var modelClass in model.Classes)
        {
            var confirmed = ConfirmedClassFor(modelClass);
            if (confirmed is not null)
            {
                if (confirmed.ClassId != modelClass.ClassId)
                {
                    Line.Aliases[modelClass.ClassId] = confirmed.ClassId;
                }

                modelClassIds.Add(confirmed.ClassId);
                continue;
            }

            var id = Resolve(modelClass.ClassId);
            modelClassIds.Add(id);
            if (!Line.Classes.ContainsKey(id))
            {
                var entry = NewEntry(id, ClassStatus.Proposed, now);
                if (modelClass.Name is { } name && IsNameFree(name, id))
                {
                    entry.Name = name;
                }
            }
        }

        // The run's classes replace the earlier proposals; a proposal that still counts regions stays.
        foreach (var stale in Line.Classes.Values.Where(c => c.Status == ClassStatus.Proposed && c.RegionCount == 0 && !modelClassIds.Contains(c.ClassId)).ToList())
        {
            Line.Classes.Remove(stale.ClassId);
        }

        await PersistAsync();
        NotifyWatchers(LineChangeKind.Model);
    }

    public async Task<ModelVersion> PromoteAsync(string version, string user)
    {
        EnsureCreated();
        var index = Line.Models.FindIndex(m => m.Version == version);
        if (index < 0)
        {
            throw RequestRejectedException.NotFound($"line {LineId} has no model version {version}");
        }

        var before = Line.PromotedVersion ?? string.Empty;
        var promoted = Line.Models[index] with { PromotedAt = DateTimeOffset.UtcNow, PromotedBy = user };
        Line.Models[index] = promoted;
        Line.PromotedVersion = version;
        Log("promote", user, before, version);
        await PersistAsync();
        NotifyWatchers(LineChangeKind.Model);
        return promoted;
    }

    public Task<ModelVersion?> GetPromotedModelAsync()
    {
        EnsureCreated();
        return Task.FromResult(Promoted());
    }

    public async Task<DefectClass> ConfirmClassAsync(string classId, string name, string user)
    {
        EnsureCreated();
        var entry = ExistingClass(classId);
        name = CheckName(name, entry.ClassId);
        var before = Audit(entry);
        entry.Status = ClassStatus.Confirmed;
        entry.Name = name;
        entry.UpdatedAt = DateTimeOffset.UtcNow;
        Log("confirm", user, before, Audit(entry));
        await PersistAsync();
        NotifyWatchers(LineChangeKind.Classes);
        return entry.ToContract();
    }

    public async Task<DefectClass> RenameClassAsync(string classId, string name, string user)
    {
        EnsureCreated();
        var entry = ExistingClass(classId);
        name = CheckName(name, entry.ClassId);
        var before = Audit(entry);
        entry.Name = name;
        entry.UpdatedAt = DateTimeOffset.UtcNow;
        Log("rename", user, before, Audit(entry));
        await PersistAsync();
        NotifyWatchers(LineChangeKind.Classes);
        return entry.ToContract();
    }

    public async Task<DefectClass> MergeClassesAsync(string sourceClassId, string targetClassId, string user)
    {
        EnsureCreated();
        var source = ExistingClass(sourceClassId);
        var target = ExistingClass(targetClassId);
        if (source.ClassId == target.ClassId)
        {
            throw RequestRejectedException.Invalid($"class {sourceClassId} cannot be merged into itself");
        }

        var before = Audit(source, target);
        var now = DateTimeOffset.UtcNow;
        var moved = images.All
            .SelectMany(image => image.Regions.Where(r => r.ClassId == source.ClassId).Select(r => new RegionKey(LineId, image.ImageId, r.Index)))
            .ToList();
        Reassign(
            (_, region) => region.ClassId == source.ClassId,
            target.ClassId,
            now);
        Line.Classes.Remove(source.ClassId);
        Line.Aliases[source.ClassId] = target.ClassId;
        foreach (var alias in Line.Aliases.Where(a => a.Value == source.ClassId).Select(a => a.Key).ToList())
        {
            Line.Aliases[alias] = target.ClassId;
        }

        target.UpdatedAt = now;
        Log("merge", user, before, Audit(target));
        await PersistAsync();
        NotifyWatchers(LineChangeKind.Classes);

        // Like a split: the moved regions remember the decision, so training reads them as the target class
        // (a confirmed target makes them labelled) and a later re-classification keeps them there.
        // A region counted here but without its own grain (recorded by hand, never ingested) has nothing to update.
        var decision = new OperatorDecision("merge", target.ClassId, user, now);
        await Task.WhenAll(moved.Select(async r =>
        {
            try
            {
                await GrainFactory.GetGrain<IRegionGrain>(r.GrainKey).DecideAsync(decision);
            }
            catch (RequestRejectedException missing) when (missing.Kind == RejectionKind.NotFound)
            {
            }
        }));
        return target.ToContract();
    }

    public async Task<DefectClass> SplitClassAsync(string classId, RegionKey[] regions, string? newName, string user)
    {
        EnsureCreated();
        var source = ExistingClass(classId);
        if (regions is null || regions.Length == 0)
        {
            throw RequestRejectedException.Invalid($"split of class {classId} names no regions");
        }

        var moving = new HashSet<(string ImageId, int Index)>();
        foreach (var key in regions)
        {
            var inClass = key.LineId == LineId
                && images.TryGet(key.ImageId, out var image)
                && image.Regions.Any(r => r.Index == key.Index && r.ClassId == source.ClassId);
            if (!inClass)
            {
                throw RequestRejectedException.Invalid($"region {key} is not a region of class {classId} on line {LineId}");
            }

            moving.Add((key.ImageId, key.Index));
        }

        var name = newName is null ? null : CheckName(newName, null);
        var before = Audit(source);
        var now = DateTimeOffset.UtcNow;
        var created = NewEntry(MintClassId("split"), name is null ? ClassStatus.Proposed : ClassStatus.Confirmed, now);
        created.Name = name;
        Reassign((imageId, region) => moving.Contains((imageId, region.Index)), created.ClassId, now);
        source.UpdatedAt = now;
        Log("split", user, before, Audit(source, created));
        await PersistAsync();
        NotifyWatchers(LineChangeKind.Classes);

        // The regions remember the operator's decision, so a later re-classification keeps them here.
        var decision = new OperatorDecision("split", created.ClassId, user, now);
        await Task.WhenAll(regions.Select(r => GrainFactory.GetGrain<IRegionGrain>(r.GrainKey).DecideAsync(decision)));
        return created.ToContract();
    }

    public async Task<DefectClass> RejectClassAsync(string classId, string user)
    {
        EnsureCreated();
        var entry = ExistingClass(classId);
        var before = Audit(entry);
        entry.Status = ClassStatus.Rejected;
        entry.UpdatedAt = DateTimeOffset.UtcNow;
        Log("reject", user, before, Audit(entry));
        await PersistAsync();
        NotifyWatchers(LineChangeKind.Classes);
        return entry.ToContract();
    }

    public Task<ClassDecision[]> GetDecisionsAsync(int skip, int take)
    {
        EnsureCreated();
        CheckPage(skip, take);
        var decisions = Line.Decisions;
        var page = new List<ClassDecision>(Math.Min(take, decisions.Count));
        for (var i = decisions.Count - 1 - skip; i >= 0 && page.Count < take; i--)
        {
            page.Add(decisions[i]);
        }

        return Task.FromResult(page.ToArray());
    }

    /// <summary>
    /// Image records (which only change this grain's state synchronously before awaiting the write) and read-only
    /// queries may run while another call awaits a write; everything else keeps the usual one-call-at-a-time turn.
    /// </summary>
    public static bool MayInterleave(IInvokable request) =>
        request.GetMethodName() is nameof(RecordImageAsync) or nameof(RecordImagesAsync) or nameof(ExistsAsync) or nameof(GetSummaryAsync) or nameof(GetPromotedModelAsync);

    /// <summary>
    /// Group commit: every change is made in memory first, then awaits a state write that started after it. While one
    /// write is in flight, the changes that arrive join the next one, so N concurrent image records cost about two
    /// writes instead of N, and each caller still returns only once its change is stored. Writes never overlap
    /// (one ETag), because every write of this grain goes through here.
    /// </summary>
    private Task PersistAsync(bool lineChanged = true)
    {
        lineDirty |= lineChanged;
        pendingWrite ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stored = pendingWrite.Task;
        if (!writing)
        {
            _ = WriteLoopAsync();
        }

        return stored;
    }

    private async Task WriteLoopAsync()
    {
        writing = true;
        try
        {
            while (pendingWrite is { } batch)
            {
                pendingWrite = null;
                try
                {
                    var stage = System.Diagnostics.Stopwatch.GetTimestamp();
                    await WriteBatchAsync();
                    Processing.IngestStageClock.Record("line.state-write", stage);
                    batch.SetResult();
                }
                catch (Exception failure)
                {
                    batch.SetException(failure);
                }
            }
        }
        finally
        {
            writing = false;
        }
    }

    /// <summary>The changed image chunks and, when it changed, the line's own state: concurrently (they are separate rows).</summary>
    private async Task WriteBatchAsync()
    {
        var writes = new List<Task>(2);
        if (images.HasUnwrittenChanges)
        {
            writes.Add(images.WriteChangesAsync());
        }

        if (lineDirty)
        {
            lineDirty = false;
            Line.ImageCount = images.Count;
            writes.Add(WriteLineAsync());
        }

        await Task.WhenAll(writes);
    }

    private async Task WriteLineAsync()
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            lineDirty = true;
            throw;
        }
    }

    private LineSummary Summary() => new(
        LineId,
        Line.Settings,
        images.Count,
        Line.AnomalousImageCount,
        Line.RegionCount,
        Catalogue(),
        Promoted(),
        [.. Line.Models],
        Line.LastImageAt);

    private DefectClass[] Catalogue() => [.. Line.Classes.Values.OrderBy(c => c.Order).Select(c => c.ToContract())];

    private ModelVersion? Promoted() =>
        Line.PromotedVersion is { } version ? Line.Models.Find(m => m.Version == version) : null;

    private void EnsureCreated()
    {
        if (!Line.Created)
        {
            throw RequestRejectedException.NotFound($"line {LineId} does not exist");
        }
    }

    /// <summary>Adds (+1) or removes (−1) one image's contribution to the totals and the catalogue.</summary>
    /// <param name="now">When the catalogue entries changed; null while recounting (their times stay).</param>
    private void Count(string imageId, RecordedImage image, int sign, DateTimeOffset? now)
    {
        Line.RegionCount += sign * image.Regions.Count;
        Line.AnomalousImageCount += image.Regions.Count > 0 ? sign : 0;
        foreach (var group in image.Regions.Where(r => r.ClassId is not null).GroupBy(r => r.ClassId!, StringComparer.Ordinal))
        {
            if (!Line.Classes.TryGetValue(group.Key, out var entry))
            {
                if (sign < 0)
                {
                    continue;
                }

                // A class first seen in a prediction (its model was not registered) still gets counted.
                entry = NewEntry(group.Key, ClassStatus.Proposed, now ?? image.At);
                lineDirty = true;
            }

            entry.RegionCount += sign * group.Count();
            entry.ImageCount += sign;
            entry.UpdatedAt = now ?? entry.UpdatedAt;
            foreach (var region in group)
            {
                var key = new RegionKey(LineId, imageId, region.Index);
                entry.Representatives.RemoveAll(r => r.Region == key);
                if (sign > 0)
                {
                    AddRepresentative(entry, new Representative(key, region.Confidence));
                }
            }
        }
    }

    private static void AddRepresentative(CatalogueEntry entry, Representative candidate)
    {
        var at = entry.Representatives.FindIndex(r => r.Confidence < candidate.Confidence);
        entry.Representatives.Insert(at < 0 ? entry.Representatives.Count : at, candidate);
        if (entry.Representatives.Count > MaxRepresentatives)
        {
            entry.Representatives.RemoveRange(MaxRepresentatives, entry.Representatives.Count - MaxRepresentatives);
        }
    }

    /// <summary>Moves the recorded regions that match to <paramref name="classId"/>, recounting each touched image.</summary>
    private void Reassign(Func<string, RecordedRegion, bool> matches, string classId, DateTimeOffset now)
    {
        foreach (var image in images.All)
        {
            var imageId = image.ImageId;
            if (!image.Regions.Any(r => matches(imageId, r)))
            {
                continue;
            }

            Count(imageId, image, -1, now);
            image.Regions = [.. image.Regions.Select(r => matches(imageId, r) ? r with { ClassId = classId } : r)];
            Count(imageId, image, +1, now);
            images.Touch(imageId);
        }
    }

    private CatalogueEntry NewEntry(string classId, ClassStatus status, DateTimeOffset now)
    {
        var entry = new CatalogueEntry { ClassId = classId, Status = status, UpdatedAt = now, Order = Line.Classes.Count == 0 ? 0 : Line.Classes.Values.Max(c => c.Order) + 1 };
        Line.Classes[classId] = entry;
        return entry;
    }

    private string MintClassId(string prefix)
    {
        string id;
        do
        {
            id = $"{prefix}-{++Line.NextClassNumber}";
        }
        while (Line.Classes.ContainsKey(id) || Line.Aliases.ContainsKey(id));

        return id;
    }

    private string Resolve(string classId)
    {
        // Aliases are kept flat (merges re-point older aliases), but guard against a cycle anyway.
        for (var hops = 0; hops < 16 && Line.Aliases.TryGetValue(classId, out var next); hops++)
        {
            classId = next;
        }

        return classId;
    }

    private CatalogueEntry ExistingClass(string classId) =>
        Line.Classes.TryGetValue(classId, out var entry)
            ? entry
            : throw RequestRejectedException.NotFound($"line {LineId} has no class {classId}");

    private CatalogueEntry? ConfirmedClassFor(ModelClass modelClass)
    {
        if (Line.Classes.TryGetValue(Resolve(modelClass.ClassId), out var byId) && byId.Status == ClassStatus.Confirmed)
        {
            return byId;
        }

        return modelClass.Name is { } name
            ? Line.Classes.Values.FirstOrDefault(c => c.Status == ClassStatus.Confirmed && string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase))
            : null;
    }

    private bool IsNameFree(string name, string? ownClassId) =>
        !Line.Classes.Values.Any(c => c.ClassId != ownClassId && string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Class names are unique per line (ignoring case), so operators never see two "scratch" classes.</summary>
    private string CheckName(string? name, string? ownClassId)
    {
        var trimmed = name?.Trim();
        if (string.IsNullOrEmpty(trimmed) || trimmed.Length > GrainKeys.MaxIdLength)
        {
            throw RequestRejectedException.Invalid($"a class name must have 1–{GrainKeys.MaxIdLength} characters");
        }

        if (!IsNameFree(trimmed, ownClassId))
        {
            throw RequestRejectedException.Conflict($"line {LineId} already has a class named '{trimmed}'");
        }

        return trimmed;
    }

    private void Log(string action, string user, string before, string after)
    {
        Line.Decisions.Add(new ClassDecision(LineId, action, user, DateTimeOffset.UtcNow, before, after));
        if (Line.Decisions.Count > MaxDecisions)
        {
            Line.Decisions.RemoveRange(0, Line.Decisions.Count - MaxDecisions);
        }
    }

    private static string Audit(params CatalogueEntry[] entries) =>
        JsonSerializer.Serialize(entries.Select(e => new { e.ClassId, e.Name, Status = e.Status.ToString(), e.RegionCount, e.ImageCount }), AuditJson);

    private static void CheckPage(int skip, int take)
    {
        if (skip < 0 || take < 0 || take > MaxPage)
        {
            throw RequestRejectedException.Invalid($"page skip={skip}, take={take} is out of range (skip ≥ 0, 0 ≤ take ≤ {MaxPage})");
        }
    }

    private static void Validate(LineSettings settings)
    {
        if ((settings.CalibrationMin is null) != (settings.CalibrationMax is null))
        {
            throw RequestRejectedException.Invalid("map calibration needs both a minimum and a maximum");
        }

        if (settings.CalibrationMin is { } min && settings.CalibrationMax is { } max && !(float.IsFinite(min) && float.IsFinite(max) && max > min))
        {
            throw RequestRejectedException.Invalid($"map calibration range [{min}, {max}] is not a finite, non-empty range");
        }

        if (settings.ClassCount is < 1)
        {
            throw RequestRejectedException.Invalid($"class count {settings.ClassCount} must be at least 1 (or unset for automatic)");
        }
    }
}
