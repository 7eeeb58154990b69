using AnomalyNcd.Contracts.Lines;

namespace AnomalyNcd.Dashboard.Data;

/// <summary>A line's image activity over a time range, for the trends page.</summary>
public interface ILineTrends
{
    Task<ImageActivity[]> GetActivityAsync(string lineId, DateTimeOffset from, DateTimeOffset to);
}

public sealed class GrainLineTrends(IGrainFactory grains) : ILineTrends
{
    public Task<ImageActivity[]> GetActivityAsync(string lineId, DateTimeOffset from, DateTimeOffset to) =>
        grains.GetGrain<IProductLineGrain>(lineId).GetActivityAsync(from, to);
}
