using AnomalyNcd.Contracts;
using AnomalyNcd.Contracts.Images;
using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Contracts.Regions;

namespace AnomalyNcd.Silo.Export;

/// <summary>The stored results an export reads (the grains in the server; a fake in tests).</summary>
public interface ILineResults
{
    Task<bool> LineExistsAsync(string line);

    Task<DefectClass[]> GetClassesAsync(string line);

    /// <summary>Image ids, newest first, one page under <see cref="PageLimits"/>.</summary>
    Task<string[]> ListImagesAsync(string line, int skip, int take);

    /// <summary>The stored result of an image; null when the line counts it but it has none.</summary>
    Task<ImageResult?> GetImageAsync(string line, string imageId);

    /// <summary>The latest state of an image's region (operator decisions included), or the image's copy when it has none.</summary>
    Task<RegionResult> GetRegionAsync(RegionResult stored);
}

/// <summary>The stored results, read from the line, image and region grains.</summary>
public sealed class GrainLineResults(IGrainFactory grains) : ILineResults
{
    public Task<bool> LineExistsAsync(string line) => grains.GetGrain<IProductLineGrain>(line).ExistsAsync();

    public Task<DefectClass[]> GetClassesAsync(string line) => grains.GetGrain<IProductLineGrain>(line).GetClassesAsync();

    public Task<string[]> ListImagesAsync(string line, int skip, int take) => grains.GetGrain<IProductLineGrain>(line).ListImagesAsync(skip, take);

    public Task<ImageResult?> GetImageAsync(string line, string imageId) => grains.GetGrain<IImageGrain>(GrainKeys.Image(line, imageId)).GetAsync();

    public async Task<RegionResult> GetRegionAsync(RegionResult stored) =>
        await grains.GetGrain<IRegionGrain>(stored.Key.GrainKey).GetAsync() ?? stored;
}
