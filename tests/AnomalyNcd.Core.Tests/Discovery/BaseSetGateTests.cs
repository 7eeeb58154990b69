using System.Text.Json;
using AnomalyNcd.Core.Datasets;
using AnomalyNcd.Core.Datasets.Importers;
using AnomalyNcd.Core.Discovery;
using AnomalyNcd.Core.Synthetic;
using AnomalyNcd.Core.Tests.Training;
using AnomalyNcd.Core.Training;

namespace AnomalyNcd.Core.Tests.Discovery;

/// <summary>The base-set gate of a discovery run (<see cref="BaseSetUse"/>) on a synthetic line with real base sets.</summary>
[Collection(TorchGlobalRandomCollection.Name)]
public class BaseSetGateTests
{
    private static readonly DiscoveryOptions Quick = new()
    {
        TrainViews = 2,
        NovelClasses = 3,
        MaxBaseImagesPerClass = 4,
        Training = new NcdTrainingOptions { Epochs = 2, BatchSize = 16, Seed = 11 },
        Encoder = new(EmbedDim: 32, Heads: 2, Blocks: 1),
    };

    [Fact]
    public void Run_SolarCellsAsTheBaseOfASyntheticLine_AreLeftOut_AndTheRunEqualsOneWithoutThem()
    {
        var pvRoot = TestData.RequireFile("pv-multi-defect");
        using var temp = TestData.NewTempFolder();
        var line = SyntheticDatasetWriter.Write(new SyntheticOptions(Lines: 1, ImagesPerLine: 30, Size: 96, Seed: 31), temp.Combine("line"));
        var pv = temp.Combine("pv", "pv.csv");
        // PV's kinds named apart from the line's (both have a "scratch").
        Manifest.Save(pv, new VocImporter().Import(new ImportContext(pvRoot, pv)).Rows.Select(r => r with { Label = "pv-" + r.Label }));

        var with = Run(temp.Combine("with"), line.ManifestPath, pv, Quick);
        var without = Run(temp.Combine("without"), line.ManifestPath, null, Quick);

        var relevance = with.Result.BaseSetRelevance!;
        Assert.False(relevance.Relevant, $"relevance {relevance.Relevance:0.000}");
        Assert.True(relevance.BaseCrops >= 20, $"{relevance.BaseCrops} base crops"); // 4 images of each of PV's 5 classes, one crop or more each
        Assert.Empty(with.Result.BaseClasses);
        Assert.Equal(0, with.Result.BaseCrops);
        Assert.Equal(File.ReadAllBytes(Path.Combine(without.Folder, "images.csv")), File.ReadAllBytes(Path.Combine(with.Folder, "images.csv")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(without.Folder, "regions.csv")), File.ReadAllBytes(Path.Combine(with.Folder, "regions.csv")));
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(with.Folder, "metrics.json")));
        var baseSet = metrics.RootElement.GetProperty("baseSet");
        Assert.False(baseSet.GetProperty("used").GetBoolean());
        Assert.Equal(relevance.Relevance, baseSet.GetProperty("relevance").GetDouble(), 4);
        Assert.Contains("left out", File.ReadAllText(Path.Combine(with.Folder, "model", "model-card.md")));

        // The reference's rule trains with it whatever it holds.
        var always = Run(temp.Combine("always"), line.ManifestPath, pv, Quick with { BaseSetUse = BaseSetUse.Always });
        Assert.Null(always.Result.BaseSetRelevance);
        Assert.Equal(5, always.Result.BaseClasses.Count);
        Assert.Equal(relevance.BaseCrops, always.Result.BaseCrops);
    }

    [Fact]
    public void Run_ABaseSetFromTheSameKindOfLine_IsUsed()
    {
        using var temp = TestData.NewTempFolder();
        var line = SyntheticDatasetWriter.Write(new SyntheticOptions(Lines: 1, ImagesPerLine: 30, Size: 96, Seed: 31), temp.Combine("line"));
        // Other parts of the same product: the same generator with another seed, its kinds named as base classes.
        var other = SyntheticDatasetWriter.Write(new SyntheticOptions(Lines: 1, ImagesPerLine: 30, Size: 96, Seed: 32), temp.Combine("other"));
        var otherManifest = Manifest.Load(other.ManifestPath);
        var basePath = Path.Combine(Path.GetDirectoryName(other.ManifestPath)!, "base.csv");
        Manifest.Save(basePath, [.. otherManifest.Rows.Where(r => r.Label != DefectKinds.NormalLabel).Select(r => r with { Label = "base-" + r.Label })]);

        var with = Run(temp.Combine("with"), line.ManifestPath, basePath, Quick);

        var relevance = with.Result.BaseSetRelevance!;
        Assert.True(relevance.Relevant, $"relevance {relevance.Relevance:0.000}");
        Assert.NotEmpty(with.Result.BaseClasses);
        Assert.Equal(relevance.BaseCrops, with.Result.BaseCrops);
    }

    private static (string Folder, DiscoveryResult Result) Run(string folder, string manifest, string? baseManifest, DiscoveryOptions options)
    {
        Directory.CreateDirectory(folder);
        return (folder, DiscoveryPipeline.Run(manifest, baseManifest, folder, options));
    }
}
