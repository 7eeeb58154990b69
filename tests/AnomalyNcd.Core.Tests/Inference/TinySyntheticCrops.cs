using System.Globalization;
using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Datasets;
using AnomalyNcd.Core.Discovery;
using AnomalyNcd.Core.Extraction;
using AnomalyNcd.Core.Synthetic;
using AnomalyNcd.Core.Training;

namespace AnomalyNcd.Core.Tests.Inference;

/// <summary>A small synthetic line cut into crops (ground-truth masks), and CPU-light discovery settings for it.</summary>
public static class TinySyntheticCrops
{
    public static readonly DiscoveryOptions Quick = new()
    {
        TrainViews = 2,
        // 64-px synthetic images: the tiny encoder learns them in a few epochs on 14×14 tokens; on the default 28×28
        // grid it needs far more (the base-class test had 2 of 9 crops right after 20 epochs).
        GridSize = 14,
        Threads = 2,
        Heads = 2,
        Training = new NcdTrainingOptions { Epochs = 3, BatchSize = 16, Seed = 11 },
        Encoder = new(EmbedDim: 32, Heads: 2, Blocks: 1),
    };

    /// <summary>Writes the synthetic data under <paramref name="folder"/>; returns the manifest and the number of defect kinds.</summary>
    public static (string ManifestPath, int Kinds) WriteData(string folder, int images = 24, int seed = 21)
    {
        var data = SyntheticDatasetWriter.Write(new SyntheticOptions(Lines: 1, ImagesPerLine: images, Size: 64, Seed: seed), Path.Combine(folder, "data"));
        var kinds = Manifest.Load(data.ManifestPath).Rows.Where(r => r.Split == "test").Select(r => r.Label!).Distinct().Count();
        return (data.ManifestPath, kinds);
    }

    /// <summary>The test split's crops as files (regions.csv of the crop stage), with their true labels.</summary>
    public static List<CropToTrain> Extract(string manifestPath, string folder)
    {
        var output = Path.Combine(folder, "crops");
        Directory.CreateDirectory(output);
        ManifestRegionExtractor.Run(Manifest.Load(manifestPath), manifestPath, output, new ManifestRegionOptions { Split = "test", Source = RegionSource.GroundTruthMasks });
        return ReadRegions(Path.Combine(output, "regions.csv"));
    }

    public static List<CropToTrain> ReadRegions(string regionsCsv)
    {
        var table = CsvTable.Read(regionsCsv);
        var column = table[0].Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i, StringComparer.Ordinal);
        var folder = Path.GetDirectoryName(regionsCsv)!;
        return [.. table.Skip(1).Where(r => r.Length > 1).Select(r => new CropToTrain(
            Path.Combine(folder, r[column["crop"]]),
            Path.Combine(folder, r[column["crop_mask"]]),
            int.Parse(r[column["area"]], CultureInfo.InvariantCulture),
            double.Parse(r[column["score"]], CultureInfo.InvariantCulture),
            BaseLabel: null,
            TruthLabel: r[column["label"]] is { Length: > 0 } label ? label : null,
            SourceImage: r[column["image"]],
            RegionIndex: int.Parse(r[column["region"]], CultureInfo.InvariantCulture)))];
    }
}
