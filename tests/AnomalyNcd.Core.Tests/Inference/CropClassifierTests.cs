using System.Globalization;
using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Discovery;
using AnomalyNcd.Core.Inference;
using AnomalyNcd.Core.Training;
using AnomalyNcd.Core.Tests.Training;

namespace AnomalyNcd.Core.Tests.Inference;

[Collection(TorchGlobalRandomCollection.Name)]
public class CropClassifierTests
{
    // The model must show the tokens discovery showed: the checkpoint carries the token contrast and coverage.
    [Theory]
    [InlineData(0.0, TokenCoverage.Reference)]
    [InlineData(0.7, TokenCoverage.Reference)]
    [InlineData(0.0, 0.1)]
    public void Classify_DiscoverModelOnItsOwnCrops_MatchesTheAssignmentsDiscoverWrote(double tokenContrast, double tokenCoverage)
    {
        using var temp = TestData.NewTempFolder();
        var (manifest, kinds) = TinySyntheticCrops.WriteData(temp.Path);
        var output = temp.Combine("out");
        Directory.CreateDirectory(output);
        // The online classifier sees a crop's plain view only; discover on masks averages its cached views unless told the test view.
        DiscoveryPipeline.Run(manifest, null, output, TinySyntheticCrops.Quick with { NovelClasses = kinds, TokenContrast = tokenContrast, TokenCoverage = tokenCoverage, PredictionViews = PredictionViews.Test });

        var crops = TinySyntheticCrops.ReadRegions(Path.Combine(output, "crops", "novel", "regions.csv"));
        var written = CsvTable.Read(Path.Combine(output, "regions.csv")).Skip(1)
            .ToDictionary(r => (r[0], int.Parse(r[1], CultureInfo.InvariantCulture)), r => (Class: r[8], Confidence: double.Parse(r[9], CultureInfo.InvariantCulture)));
        using var classifier = CropClassifier.Load(Path.Combine(output, "model"), ClassifierScope.NovelOnly);

        var results = classifier.ClassifyFiles([.. crops.Select(c => (c.CropPath, c.MaskPath))], withEmbedding: true);

        Assert.Equal(crops.Count, results.Count);
        Assert.Equal(kinds, classifier.ClassCount);
        Assert.Equal(tokenContrast, classifier.Checkpoint.TokenContrast);
        for (var i = 0; i < crops.Count; i++)
        {
            var expected = written[(crops[i].SourceImage!, crops[i].RegionIndex)];
            Assert.Equal(expected.Class, DiscoveryPipeline.NovelClassName(results[i].ClassIndex - classifier.BaseClassCount));
            Assert.InRange(Math.Abs(expected.Confidence - results[i].Confidence), 0, 1e-4); // regions.csv keeps 4 decimals
            Assert.Equal(1.0, results[i].Probabilities.Sum(), 6);
            Assert.NotNull(results[i].Embedding);
        }
    }

    [Fact]
    public void Classify_SameCropsAloneOrInABatch_GiveTheSameProbabilities()
    {
        using var temp = TestData.NewTempFolder();
        var (manifest, kinds) = TinySyntheticCrops.WriteData(temp.Path, images: 16, seed: 5);
        var crops = TinySyntheticCrops.Extract(manifest, temp.Path);
        var result = CropDiscovery.Train(crops, new CropDiscoveryOptions(TinySyntheticCrops.Quick with { NovelClasses = kinds }, temp.Combine("model"), Resume: false));
        using var classifier = CropClassifier.Load(result.CheckpointFolder);
        var files = crops.Take(4).Select(c => (c.CropPath, c.MaskPath)).ToList();

        var batch = classifier.ClassifyFiles(files);
        var single = classifier.ClassifyFiles([files[2]]);

        Assert.Equal(batch[2].ClassIndex, single[0].ClassIndex);
        Assert.Equal(batch[2].Probabilities, single[0].Probabilities, (a, b) => Math.Abs(a - b) < 1e-5);
    }

    [Fact]
    public void Classify_AllClassesScope_AssignsBaseClass()
    {
        using var temp = TestData.NewTempFolder();
        var (manifest, kinds) = TinySyntheticCrops.WriteData(temp.Path, images: 40, seed: 9);
        var crops = TinySyntheticCrops.Extract(manifest, temp.Path);
        // The most frequent defect kind is the operators' confirmed class: its crops are labelled (a base class).
        var confirmed = crops.GroupBy(c => c.TruthLabel).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).First().ToList();
        var labelled = confirmed.Select(c => c with { BaseLabel = "Confirmed kind", TruthLabel = null }).ToList();
        var training = labelled.Concat(crops.Where(c => c.TruthLabel != confirmed[0].TruthLabel)).ToList();
        var options = TinySyntheticCrops.Quick with { NovelClasses = kinds - 1, Training = TinySyntheticCrops.Quick.Training with { Epochs = 4 } };
        var result = CropDiscovery.Train(training, new CropDiscoveryOptions(options, temp.Combine("model"), Resume: false));
        using var online = CropClassifier.Load(result.CheckpointFolder, ClassifierScope.AllClasses);
        using var parity = CropClassifier.Load(result.CheckpointFolder, ClassifierScope.NovelOnly);
        var files = labelled.Select(c => (c.CropPath, c.MaskPath)).ToList();

        var all = online.ClassifyFiles(files);
        var novelOnly = parity.ClassifyFiles(files);

        Assert.Equal(1, online.BaseClassCount);
        Assert.Equal(kinds, online.ClassCount);
        Assert.True(files.Count >= 2, $"only {files.Count} crops of the confirmed kind");
        // Base index 0 is the confirmed class; most crops of its kind land there, with a real probability.
        var assignedToBase = all.Count(r => r.ClassIndex == 0);
        Assert.True(assignedToBase * 2 > all.Count, $"{assignedToBase} of {all.Count} crops of the confirmed kind got the base class");
        Assert.All(all, r => Assert.Equal(1.0, r.Probabilities.Sum(), 6));
        Assert.True(all.Average(r => r.Probabilities[0]) > 1.0 / online.ClassCount, "the base class is not more likely than chance");
        // Discovery parity: the novel-only scope never assigns the base class and gives it probability 0.
        Assert.All(novelOnly, r => Assert.True(r.ClassIndex >= 1 && r.Probabilities[0] == 0.0));
        Assert.All(novelOnly, r => Assert.Equal(1.0, r.Probabilities.Sum(), 6));
    }

    [Fact]
    public void Load_FolderWithoutCheckpoint_IsRefused()
    {
        using var temp = TestData.NewTempFolder();

        var error = Assert.Throws<InvalidInputException>(() => CropClassifier.Load(temp.Path));

        Assert.Contains("checkpoint.json", error.Message);
    }
}
