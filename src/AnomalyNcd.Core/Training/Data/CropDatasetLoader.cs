using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Datasets;

namespace AnomalyNcd.Core.Training.Data;

/// <summary>Builds a <see cref="CropDataset"/> from the regions.csv files of the base and novel crop stages.</summary>
public static class CropDatasetLoader
{
    /// <summary>
    /// Base crops (labelled by their label column) from <paramref name="baseRegionsCsv"/> when given,
    /// unlabelled crops from <paramref name="novelRegionsCsv"/>. Novel class names, for evaluation only,
    /// come from the novel label column or, when given, from <paramref name="novelLabelManifest"/>.
    /// </summary>
    public static CropDataset Load(string? baseRegionsCsv, string novelRegionsCsv, string? novelLabelManifest = null)
    {
        var manifest = novelLabelManifest is null ? null : Manifest.Load(novelLabelManifest);
        var baseCrops = baseRegionsCsv is null ? [] : RegionsCsvCropReader.Read(baseRegionsCsv);
        List<CropInput> novelCrops;
        try
        {
            novelCrops = RegionsCsvCropReader.Read(novelRegionsCsv, manifest);
        }
        catch
        {
            DisposeAll(baseCrops);
            throw;
        }

        try
        {
            return CropDataset.Create(baseCrops, novelCrops, baseRegionsCsv, novelRegionsCsv);
        }
        catch (InvalidInputException)
        {
            DisposeAll(baseCrops);
            DisposeAll(novelCrops);
            throw;
        }
    }

    private static void DisposeAll(IEnumerable<CropInput> crops)
    {
        foreach (var crop in crops)
        {
            crop.Image.Dispose();
        }
    }
}
