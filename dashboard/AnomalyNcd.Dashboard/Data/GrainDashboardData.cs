using AnomalyNcd.Contracts;
using AnomalyNcd.Contracts.Images;
using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Contracts.Regions;
using AnomalyNcd.Contracts.Training;

namespace AnomalyNcd.Dashboard.Data;

/// <summary>Reads through the grain factory: the silo's own in a co-hosted process, the cluster client elsewhere.</summary>
public sealed class GrainDashboardData(IGrainFactory grains) : IDashboardData
{
    public Task<string[]> ListLinesAsync() => grains.GetGrain<ILineDirectoryGrain>(0).ListAsync();

    public Task<LineSummary> GetLineAsync(string lineId) => grains.GetGrain<IProductLineGrain>(lineId).GetSummaryAsync();

    public Task<TrainingStatus> GetTrainingAsync(string lineId) => grains.GetGrain<ITrainingGrain>(lineId).GetStatusAsync();

    public Task<string[]> ListImagesAsync(string lineId, int skip, int take) =>
        grains.GetGrain<IProductLineGrain>(lineId).ListImagesAsync(skip, take);

    public Task<ImageResult?> GetImageAsync(string lineId, string imageId) =>
        grains.GetGrain<IImageGrain>(GrainKeys.Image(lineId, imageId)).GetAsync();

    public Task<RegionResult?> GetRegionAsync(RegionKey key) => grains.GetGrain<IRegionGrain>(key.GrainKey).GetAsync();

    public Task<ClassDecision[]> GetDecisionsAsync(string lineId, int skip, int take) =>
        grains.GetGrain<IProductLineGrain>(lineId).GetDecisionsAsync(skip, take);
}
