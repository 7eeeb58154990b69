using AnomalyNcd.Dashboard.Logic;

namespace AnomalyNcd.Dashboard.Data;

/// <summary>What the quality view needs beyond the region records: where operators moved regions from.</summary>
public interface IQualityData
{
    /// <summary>The source class of each move (merge, split) in the line's audit log.</summary>
    Task<MoveSources> GetMoveSourcesAsync(string lineId);
}
