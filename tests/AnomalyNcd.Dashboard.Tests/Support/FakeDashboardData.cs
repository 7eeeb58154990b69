using AnomalyNcd.Contracts.Images;
using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Contracts.Regions;
using AnomalyNcd.Contracts.Training;
using AnomalyNcd.Dashboard.Data;

namespace AnomalyNcd.Dashboard.Tests.Support;

/// <summary>One line held in memory, for page tests.</summary>
internal sealed class FakeDashboardData(LineSummary line, params ImageResult[] initialImages) : IDashboardData
{
    private readonly List<ImageResult> images = [.. initialImages];

    /// <summary>Adds an image (as newest), as if it were ingested while a page is open.</summary>
    public void AddImage(ImageResult image) => images.Insert(0, image);

    public Task<string[]> ListLinesAsync() => Task.FromResult(new[] { line.LineId });

    public Task<LineSummary> GetLineAsync(string lineId) => Task.FromResult(line);

    /// <summary>What <see cref="GetTrainingAsync"/> answers; idle unless a test sets it.</summary>
    public TrainingStatus? Training { get; set; }

    public Task<TrainingStatus> GetTrainingAsync(string lineId) => Task.FromResult(Training ?? TrainingStatus.Idle(lineId));

    public Task<string[]> ListImagesAsync(string lineId, int skip, int take) =>
        Task.FromResult(images.Select(i => i.ImageId).Skip(skip).Take(take).ToArray());

    public Task<ImageResult?> GetImageAsync(string lineId, string imageId) =>
        Task.FromResult(images.FirstOrDefault(i => i.ImageId == imageId));

    public Task<RegionResult?> GetRegionAsync(RegionKey key) =>
        Task.FromResult(images.SelectMany(i => i.Regions).FirstOrDefault(r => r.Key == key));

    public Task<ClassDecision[]> GetDecisionsAsync(string lineId, int skip, int take) => Task.FromResult(Array.Empty<ClassDecision>());
}
