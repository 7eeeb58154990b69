using System.Text.Json;
using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Datasets;
using AnomalyNcd.Core.Discovery;
using AnomalyNcd.Core.Tests.Training;
using AnomalyNcd.Core.Synthetic;
using AnomalyNcd.Core.Training;

namespace AnomalyNcd.Core.Tests.Discovery;

[Collection(TorchGlobalRandomCollection.Name)]
public class DiscoveryPipelineTests
{
    private static readonly DiscoveryOptions Quick = new()
    {
        TrainViews = 2,
        Training = new NcdTrainingOptions { Epochs = 8, BatchSize = 16, Seed = 11 },
        Encoder = new(EmbedDim: 64, Heads: 4, Blocks: 1),
    };

    [Fact]
    public void Run_SyntheticLine_SeparatesDefectKindsWellAboveChance()
    {
        using var temp = TestData.NewTempFolder();
        var data = SyntheticDatasetWriter.Write(new SyntheticOptions(Lines: 1, ImagesPerLine: 70, Size: 128, Seed: 21), temp.Combine("data"));
        var manifest = Manifest.Load(data.ManifestPath);
        var testRows = manifest.Rows.Where(r => r.Split == "test").ToList();
        var kinds = testRows.Select(r => r.Label!).Distinct().Count();
        var output = temp.Combine("out");
        Directory.CreateDirectory(output);

        var result = DiscoveryPipeline.Run(data.ManifestPath, null, output, Quick with { NovelClasses = kinds });

        // images.csv: one row per image of the split, image values exactly as in the manifest.
        var images = CsvTable.Read(Path.Combine(output, "images.csv"));
        Assert.Equal(["image", "class", "confidence", .. Enumerable.Range(0, kinds).Select(k => $"p_class-{k}")], images[0]);
        Assert.Equal(testRows.Select(r => r.Image), images.Skip(1).Select(r => r[0]));
        Assert.True(File.Exists(Path.Combine(output, "regions.csv")));
        Assert.True(File.Exists(Path.Combine(output, "metrics.json")));
        Assert.True(File.Exists(Path.Combine(output, "model", TrainingCheckpoint.MetadataFile)));
        Assert.True(File.Exists(Path.Combine(output, "model", "model-card.md")));

        var metrics = result.ImageMetrics!;
        var chance = testRows.GroupBy(r => r.Label).Max(g => g.Count()) / (double)testRows.Count;
        Assert.Equal(testRows.Count, metrics.N);
        Assert.True(metrics.F1 > chance + 0.15, $"matched accuracy {metrics.F1:0.000} vs majority share {chance:0.000} (NMI {metrics.Nmi:0.000})");
        Assert.True(metrics.Nmi > 0.25, $"NMI {metrics.Nmi:0.000}");

        // The kinds apart: the same assignment scored on the defective images alone, and written beside the rest.
        var defective = testRows.Count(r => r.Label != DefectKinds.NormalLabel);
        var kindMetrics = result.DefectiveImageMetrics!;
        Assert.Equal(defective, kindMetrics.N);
        Assert.Equal(kinds - 1, kindMetrics.PerClass.Count);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "metrics.json")));
        Assert.Equal(defective, json.RootElement.GetProperty("defectiveImages").GetProperty("n").GetInt32());
        Assert.Equal(kindMetrics.Nmi, json.RootElement.GetProperty("defectiveImages").GetProperty("nmi").GetDouble(), 12);
    }

    [Fact]
    public void Run_ManifestWithoutAnomalies_IsRefused()
    {
        using var temp = TestData.NewTempFolder();
        var (data, output) = WriteLine(temp, new SyntheticOptions(Lines: 1, ImagesPerLine: 12, Size: 64, NormalFraction: 1.0, Seed: 2));

        var error = Assert.Throws<InvalidInputException>(() => DiscoveryPipeline.Run(data.ManifestPath, null, output, Quick with { NovelClasses = 2 }));
        Assert.Contains("no anomaly region", error.Message);
        Assert.Equal(data.ManifestPath, error.InputPath);
    }

    [Fact]
    public void Run_MoreClassesThanCrops_IsRefused()
    {
        using var temp = TestData.NewTempFolder();
        var (data, output) = WriteLine(temp, new SyntheticOptions(Lines: 1, ImagesPerLine: 10, Size: 64, Seed: 3));

        var error = Assert.Throws<InvalidInputException>(() => DiscoveryPipeline.Run(data.ManifestPath, null, output, Quick with { NovelClasses = 500 }));
        Assert.Contains("500 novel classes", error.Message);
    }

    [Fact]
    public void Run_BaseClassNamedLikeNovelClass_IsRefused()
    {
        using var temp = TestData.NewTempFolder();
        var (data, output) = WriteLine(temp, new SyntheticOptions(Lines: 1, ImagesPerLine: 16, Size: 64, Seed: 4));

        // The same data as its own base set: every defect kind collides with a novel class name.
        var error = Assert.Throws<InvalidInputException>(() => DiscoveryPipeline.Run(data.ManifestPath, data.ManifestPath, output, Quick with { NovelClasses = 2 }));
        Assert.Contains("base", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Run_WithEmbeddingsPath_WritesEveryCropsUnitLengthFrozenAndLearntFeatures()
    {
        using var temp = TestData.NewTempFolder();
        var (data, output) = WriteLine(temp, new SyntheticOptions(Lines: 1, ImagesPerLine: 40, Size: 96, Seed: 8));
        var embeddings = temp.Combine("analysis", "embeddings.csv");

        DiscoveryPipeline.Run(data.ManifestPath, null, output, Quick with { NovelClasses = 3, EmbeddingsPath = embeddings, Training = Quick.Training with { Epochs = 2 } });

        var rows = CsvTable.Read(embeddings);
        var regions = CsvTable.Read(Path.Combine(output, "regions.csv"));
        Assert.Equal(CropEmbeddings.Header.Split(','), rows[0]);
        Assert.Equal(regions.Skip(1).Select(r => (r[0], r[1])), rows.Skip(1).Select(r => (r[0], r[1]))); // one row per crop, same order
        Assert.False(File.Exists(embeddings + ".partial"));
        foreach (var row in rows.Skip(1))
        {
            var frozen = row[3].Split(' ').Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            var learnt = row[4].Split(' ').Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(FeatureBankBuilder.TokenChannels, frozen.Length);
            Assert.Equal(Quick.Encoder.EmbedDim, learnt.Length);
            Assert.Equal(1.0, Math.Sqrt(frozen.Sum(v => v * v)), 4);
            Assert.Equal(1.0, Math.Sqrt(learnt.Sum(v => v * v)), 4);
        }
    }

    [Fact]
    public void Run_EmbeddingsPathIsAFolder_IsRefusedBeforeAnyOutput()
    {
        using var temp = TestData.NewTempFolder();
        var (data, output) = WriteLine(temp, new SyntheticOptions(Lines: 1, ImagesPerLine: 20, Size: 96, Seed: 8));
        var folder = temp.Combine("taken");
        Directory.CreateDirectory(folder);

        var error = Assert.Throws<InvalidInputException>(() => DiscoveryPipeline.Run(data.ManifestPath, null, output, Quick with { NovelClasses = 3, EmbeddingsPath = folder }));

        Assert.Equal(folder, error.InputPath);
        Assert.Contains("folder", error.Problem);
        Assert.Empty(Directory.EnumerateFileSystemEntries(output)); // refused before any crop or model was written
    }

    [Fact]
    public void Run_Inductive_EvaluatesOnlyTheHeldOutHalf()
    {
        using var temp = TestData.NewTempFolder();
        var data = SyntheticDatasetWriter.Write(new SyntheticOptions(Lines: 1, ImagesPerLine: 40, Size: 96, Seed: 8), temp.Combine("data"));
        var manifest = Manifest.Load(data.ManifestPath);
        var output = temp.Combine("out");
        Directory.CreateDirectory(output);

        var result = DiscoveryPipeline.Run(data.ManifestPath, null, output, Quick with { NovelClasses = 3, Protocol = DiscoveryProtocol.Inductive, Training = Quick.Training with { Epochs = 2 } });

        var heldOut = manifest.Rows.Count(r => r.Split == "test" && DiscoveryPipeline.InSecondHalf(r.Image));
        Assert.Equal(heldOut, result.EvaluatedImages);
        Assert.InRange(heldOut, 1, result.Images - 1);
        Assert.Equal(result.Images, CsvTable.Read(Path.Combine(output, "images.csv")).Count - 1); // every image is assigned
    }

    /// <summary>A generated line under <paramref name="temp"/>/data and an empty output folder beside it.</summary>
    private static (SyntheticDatasetSummary Data, string Output) WriteLine(TempFolder temp, SyntheticOptions options)
    {
        var data = SyntheticDatasetWriter.Write(options, temp.Combine("data"));
        var output = temp.Combine("out");
        Directory.CreateDirectory(output);
        return (data, output);
    }
}

[Collection(TorchGlobalRandomCollection.Name)]
public class DiscoveryPipelineVitTests
{
    /// <summary>A ViT of the ViT-B/8 shape family at 224² but tiny width and depth, so that a test can run it.</summary>
    private static readonly AnomalyNcd.Core.Model.VitConfig SmallVit = AnomalyNcd.Core.Model.VitConfig.Tiny with { ImageSize = 224, Depth = 3, MaskLayers = 2 };

    [Fact]
    public void Run_DinoBackboneFromGeneratedCheckpoint_TrainsTheLastBlockAndWritesOutputs()
    {
        using var temp = TestData.NewTempFolder();
        var data = SyntheticDatasetWriter.Write(new SyntheticOptions(Lines: 1, ImagesPerLine: 10, Size: 64, Seed: 12), temp.Combine("data"));
        var weights = temp.Combine("dino-small.safetensors");
        TorchSharp.torch.manual_seed(1);
        using (var vit = new AnomalyNcd.Core.Model.MaskGuidedVisionTransformer(SmallVit))
        {
            AnomalyNcd.Core.Model.DinoCheckpoint.SaveSafetensors(vit, weights);
        }

        var output = temp.Combine("out");
        Directory.CreateDirectory(output);
        var options = new DiscoveryOptions
        {
            Backbone = TrainingCheckpoint.DinoVitB8Backbone,
            BackboneWeights = weights,
            Vit = SmallVit,
            NovelClasses = 2,
            TrainViews = 2,
            Training = new NcdTrainingOptions { Epochs = 2, BatchSize = 8 },
        };

        var result = DiscoveryPipeline.Run(data.ManifestPath, null, output, options);

        Assert.NotNull(result.ImageMetrics);
        var checkpoint = TrainingCheckpoint.ReadMetadata(Path.Combine(output, "model"));
        Assert.Equal(TrainingCheckpoint.DinoVitB8Backbone, checkpoint.Backbone);
        Assert.Equal(SmallVit, checkpoint.Vit);
        using var restored = checkpoint.LoadNetwork(Path.Combine(output, "model"));
        // Trainable: the last block and the heads; the tail's final norm stays frozen as in the reference.
        var trainable = restored.TrainableParameters().Select(p => p.Name).ToList();
        Assert.Contains(trainable, n => n.StartsWith("encoder.block.", StringComparison.Ordinal));
        Assert.DoesNotContain(trainable, n => n.StartsWith("encoder.norm.", StringComparison.Ordinal));
    }

    [Fact]
    public void Run_DinoWeightsOfAnotherArchitecture_RefusedNamingTheFile()
    {
        using var temp = TestData.NewTempFolder();
        var data = SyntheticDatasetWriter.Write(new SyntheticOptions(Lines: 1, ImagesPerLine: 8, Size: 64, Seed: 13), temp.Combine("data"));
        var weights = temp.Combine("other.safetensors");
        using (var vit = new AnomalyNcd.Core.Model.MaskGuidedVisionTransformer(SmallVit with { Depth = 2, MaskLayers = 1 }))
        {
            AnomalyNcd.Core.Model.DinoCheckpoint.SaveSafetensors(vit, weights);
        }

        var output = temp.Combine("out");
        Directory.CreateDirectory(output);
        var options = new DiscoveryOptions { Backbone = TrainingCheckpoint.DinoVitB8Backbone, BackboneWeights = weights, Vit = SmallVit, NovelClasses = 2 };

        var error = Assert.Throws<InvalidInputException>(() => DiscoveryPipeline.Run(data.ManifestPath, null, output, options));
        Assert.Contains(weights, error.Message);
        Assert.Contains("missing blocks.2", error.Message);
    }
}
