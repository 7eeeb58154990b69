using AnomalyNcd.Contracts.Images;
using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Contracts.Regions;
using AnomalyNcd.Contracts.Training;

using AnomalyNcd.Dashboard.Logic;

namespace AnomalyNcd.Dashboard.Data;

/// <summary>What the pages read from the cluster; one seam so component tests run without a silo.</summary>
public interface IDashboardData
{
    Task<string[]> ListLinesAsync();

    Task<LineSummary> GetLineAsync(string lineId);

    Task<TrainingStatus> GetTrainingAsync(string lineId);

    Task<string[]> ListImagesAsync(string lineId, int skip, int take);

    Task<ImageResult?> GetImageAsync(string lineId, string imageId);

    Task<RegionResult?> GetRegionAsync(RegionKey key);

    Task<ClassDecision[]> GetDecisionsAsync(string lineId, int skip, int take);

    /// <summary>Confirmed class names across all lines (the plant-wide vocabulary); built from the line summaries.</summary>
    async Task<PlantVocabulary> GetPlantVocabularyAsync()
    {
        var lines = await ListLinesAsync();
        var summaries = await Task.WhenAll(lines.Select(GetLineAsync));
        return PlantVocabulary.From(summaries.Select(s => (s.LineId, (IEnumerable<DefectClass>)s.Classes)));
    }
}
