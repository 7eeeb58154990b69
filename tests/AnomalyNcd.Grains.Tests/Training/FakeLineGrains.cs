using AnomalyNcd.Contracts;
using AnomalyNcd.Contracts.Images;
using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Contracts.Regions;
using AnomalyNcd.Contracts.Training;

namespace AnomalyNcd.Grains.Tests.Training;

/// <summary>Test-only stand-in for the line grain (implemented on the `grains` branch): serves a <see cref="FakeLineWorld"/>.</summary>
public sealed class FakeProductLineGrain(FakeLineWorld world) : Grain, IProductLineGrain
{
    private string LineId => this.GetPrimaryKeyString();

    public Task<bool> ExistsAsync() => Task.FromResult(world.Images.ContainsKey(LineId));

    public Task<LineSummary> GetSummaryAsync() =>
        Task.FromResult(new LineSummary(LineId, LineSettings.Empty, Images.Count, Images.Count, Images.Count, world.Classes[LineId], null, [.. world.Models[LineId]], null));

    public Task<string[]> ListImagesAsync(int skip, int take) => Task.FromResult(Images.Skip(skip).Take(take).Select(i => i.ImageId).ToArray());

    public Task<ImageQueryPage> QueryImagesAsync(ImageFilter filter, int skip, int take) => throw new NotSupportedException();

    public Task<DefectClass[]> GetClassesAsync() => Task.FromResult(world.Classes[LineId]);

    public Task<string[]> GetRetiredClassIdsAsync() => Task.FromResult(world.RetiredClassIds.TryGetValue(LineId, out var ids) ? ids : []);

    public Task RegisterModelAsync(ModelVersion model)
    {
        world.Models[LineId].Enqueue(model);
        return Task.CompletedTask;
    }

    public Task<ModelVersion?> GetPromotedModelAsync() => Task.FromResult(world.Models[LineId].LastOrDefault());

    private List<ImageResult> Images => world.Images.TryGetValue(LineId, out var images) ? images : throw RequestRejectedException.NotFound($"line '{LineId}' does not exist");

    public Task<LineSummary> CreateAsync(LineSettings settings) => throw new NotSupportedException();

    public Task<LineSettings> GetSettingsAsync() => throw new NotSupportedException();

    public Task<LineSummary> UpdateSettingsAsync(LineSettings settings) => throw new NotSupportedException();

    public Task RecordImageAsync(ImageResult result) => throw new NotSupportedException();
    public Task RecordImagesAsync(ImageResult[] results) => throw new NotSupportedException();
    public Task AuditAsync(string action, string user, string before, string after) => throw new NotSupportedException();

    public Task<ModelVersion> PromoteAsync(string version, string user) => throw new NotSupportedException();

    public Task<LineReclassification> ReclassifyAsync() => throw new NotSupportedException();

    public Task<DefectClass> ConfirmClassAsync(string classId, string name, string user) => throw new NotSupportedException();

    public Task<DefectClass> RenameClassAsync(string classId, string name, string user) => throw new NotSupportedException();

    public Task<DefectClass> MergeClassesAsync(string sourceClassId, string targetClassId, string user) => throw new NotSupportedException();

    public Task<DefectClass> SplitClassAsync(string classId, RegionKey[] regions, string? newName, string user) => throw new NotSupportedException();

    public Task<DefectClass> RejectClassAsync(string classId, string user) => throw new NotSupportedException();

    public Task<ClassDecision[]> GetDecisionsAsync(int skip, int take) => throw new NotSupportedException();

    public Task<RegionResult[]> DecideRegionsAsync(RegionKey[] regions, OperatorDecision decision) => throw new NotSupportedException();

    public Task<AlarmRule[]> GetAlarmRulesAsync() => throw new NotSupportedException();

    public Task<AlarmRule[]> SetAlarmRulesAsync(AlarmRule[] rules, string user) => throw new NotSupportedException();

    public Task<ActiveAlarm[]> GetAlarmsAsync() => throw new NotSupportedException();

    public Task<ImageActivity[]> GetActivityAsync(DateTimeOffset from, DateTimeOffset to) => throw new NotSupportedException();
}

/// <summary>Test-only stand-in for the image grain: returns the stored result of a <see cref="FakeLineWorld"/> image.</summary>
public sealed class FakeImageGrain(FakeLineWorld world) : Grain, IImageGrain
{
    public Task<ImageResult?> GetAsync()
    {
        var (lineId, imageId) = GrainKeys.ParseImage(this.GetPrimaryKeyString());
        return Task.FromResult(world.Images.TryGetValue(lineId, out var images) ? images.FirstOrDefault(i => i.ImageId == imageId) : null);
    }

    public Task<ImageResult> SubmitAsync(ImageSubmission submission) => throw new NotSupportedException();

    public Task<ImageResult> SubmitWithoutLineRecordAsync(ImageSubmission submission) => throw new NotSupportedException();

    public async Task<RegionResult?> GetExtractedRegionAsync(int index) =>
        (await GetAsync())?.Regions.FirstOrDefault(r => r.Key.Index == index);

    public Task<ImageResult> ClassifyAsync() => throw new NotSupportedException();
}
