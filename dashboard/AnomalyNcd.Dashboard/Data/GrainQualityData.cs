using AnomalyNcd.Contracts;
using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Dashboard.Logic;

namespace AnomalyNcd.Dashboard.Data;

/// <summary>Reads the line's whole decision log, a page at a time, from the line grain.</summary>
public sealed class GrainQualityData(IGrainFactory grains) : IQualityData
{
    public async Task<MoveSources> GetMoveSourcesAsync(string lineId)
    {
        var line = grains.GetGrain<IProductLineGrain>(lineId);
        var log = new List<ClassDecision>();
        while (true)
        {
            var page = await line.GetDecisionsAsync(log.Count, PageLimits.MaxTake);
            log.AddRange(page);
            if (page.Length < PageLimits.MaxTake)
            {
                return MoveSources.From(log);
            }
        }
    }
}
