using System.Text.Json;
using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Synthetic;

namespace AnomalyNcd.Cli.Tests.Commands;

[Collection(TorchGlobalRandomCollection.Name)]
public class DiscoverCommandTests
{
    private static async Task<(int Code, string Output, string Error)> Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await AnomalyNcdCli.RunAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Discover_SyntheticLine_WritesOutputsAndPrintsMetrics()
    {
        using var temp = TestData.NewTempFolder();
        var data = SyntheticDatasetWriter.Write(new SyntheticOptions(Lines: 1, ImagesPerLine: 24, Size: 96, Seed: 5), temp.Combine("data"));
        var output = temp.Combine("out");

        var run = await Run("discover", "--manifest", data.ManifestPath, "--out", output, "--classes", "3", "--epochs", "2");

        Assert.True(run.Code == 0, run.Error);
        Assert.Contains("image level (", run.Output);
        Assert.Contains("class mapping", run.Output);
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "metrics.json")));
        foreach (var field in new[] { "nmi", "ari", "f1", "macroF1", "n", "level" })
        {
            Assert.True(metrics.RootElement.TryGetProperty(field, out _), $"metrics.json lacks {field}");
        }

        Assert.Equal(3, metrics.RootElement.GetProperty("classes").GetInt32());
        Assert.False(metrics.RootElement.GetProperty("classesEstimated").GetBoolean());
        Assert.Equal("all", metrics.RootElement.GetProperty("predictionViews").GetString()); // ground-truth masks: every cached view

        var regions = CsvTable.Read(Path.Combine(output, "regions.csv"));
        Assert.Equal(["image", "region", "left", "up", "right", "bottom", "area", "score", "class", "confidence"], regions[0]);
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(output), e => Path.GetFileName(e).StartsWith(".staging"));
    }

    [Fact]
    public async Task Discover_SameCommandTwice_WithABaseSet_ByteForByteTheSameImagesAndRegions()
    {
        using var temp = TestData.NewTempFolder();
        var data = SyntheticDatasetWriter.Write(new SyntheticOptions(Lines: 1, ImagesPerLine: 24, Size: 96, Seed: 11), temp.Combine("data"));
        var labelled = SyntheticDatasetWriter.Write(new SyntheticOptions(Lines: 1, ImagesPerLine: 16, Size: 96, NormalFraction: 0, Seed: 12), temp.Combine("base"));
        // Base classes must not share names with the novel ones: the base set's kinds become base-crack, base-spot, ...
        var table = CsvTable.Read(labelled.ManifestPath);
        var label = Array.IndexOf(table[0], "label");
        File.WriteAllLines(labelled.ManifestPath, table.Select((row, i) => CsvTable.Join(i == 0 ? row : [.. row.Select((cell, c) => c == label ? "base-" + cell : cell)])));

        var runs = new List<string>();
        foreach (var name in new[] { "first", "second" })
        {
            var output = temp.Combine(name);
            var run = await Run("discover", "--manifest", data.ManifestPath, "--base", labelled.ManifestPath, "--out", output, "--classes", "auto", "--epochs", "2", "--seed", "5");
            Assert.True(run.Code == 0, run.Error);
            runs.Add(output);
        }

        foreach (var file in new[] { "images.csv", "regions.csv" })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(runs[0], file)), File.ReadAllBytes(Path.Combine(runs[1], file)));
        }

        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(runs[0], "metrics.json")));
        Assert.True(metrics.RootElement.GetProperty("classesEstimated").GetBoolean());
        Assert.InRange(metrics.RootElement.GetProperty("classes").GetInt32(), 2, 10);
        Assert.Contains("CLS features of the network trained with", metrics.RootElement.GetProperty("classCount").GetString());
        var model = AnomalyNcd.Core.Training.TrainingCheckpoint.ReadMetadata(Path.Combine(runs[0], "model"));
        Assert.Equal(metrics.RootElement.GetProperty("classes").GetInt32(), model.NovelClasses.Count);
    }

    [Fact]
    public async Task Discover_ClassesAutoOnFrozenTokens_SaysSoAndEstimates()
    {
        using var temp = TestData.NewTempFolder();
        var data = SyntheticDatasetWriter.Write(new SyntheticOptions(Lines: 1, ImagesPerLine: 24, Size: 96, Seed: 5), temp.Combine("data"));
        var output = temp.Combine("out");

        var run = await Run("discover", "--manifest", data.ManifestPath, "--out", output, "--classes", "auto", "--estimate-on", "frozen", "--epochs", "2");

        Assert.True(run.Code == 0, run.Error);
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "metrics.json")));
        Assert.True(metrics.RootElement.GetProperty("classesEstimated").GetBoolean());
        Assert.Contains("masked mean tokens", metrics.RootElement.GetProperty("classCount").GetString());
    }

    [Theory]
    [InlineData("--classes", "many", "--classes must be a positive number or 'auto'")]
    [InlineData("--backbone", "dino-vitb8", "needs --weights FILE")]
    public async Task Discover_BadOption_OneErrorLineAndNoOutput(string option, string value, string expected)
    {
        using var temp = TestData.NewTempFolder();
        var data = SyntheticDatasetWriter.Write(new SyntheticOptions(Lines: 1, ImagesPerLine: 8, Size: 64, Seed: 5), temp.Combine("data"));
        var output = temp.Combine("out");

        var run = await Run("discover", "--manifest", data.ManifestPath, "--out", output, option, value);

        Assert.Equal(2, run.Code);
        var line = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line);
        Assert.Contains(expected, line);
        Assert.False(File.Exists(Path.Combine(output, "images.csv")));
    }

    [Fact]
    public async Task Discover_MissingManifest_NamesTheFile()
    {
        using var temp = TestData.NewTempFolder();
        var missing = temp.Combine("nope.csv");

        var run = await Run("discover", "--manifest", missing, "--out", temp.Combine("out"), "--classes", "2");

        Assert.Equal(2, run.Code);
        Assert.Contains(missing, run.Error);
        Assert.False(File.Exists(temp.Combine("out", "images.csv")));
    }
}
