using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Imaging;
using AnomalyNcd.Core.Training.Data;
using OpenCvSharp;

namespace AnomalyNcd.Core.Tests.Training.Data;

public class CropDatasetTests
{
    [Fact]
    public void Create_PutsBaseFirstWithOrdinalClassIndices_ThenUnlabelledNovel()
    {
        using var dataset = CropDataset.Create(
            [Crop("scratch"), Crop("Broken"), Crop("hot_spot"), Crop("scratch")],
            [Crop("MT_Crack"), Crop(null), Crop("MT_Blowhole")]);

        Assert.Equal(["Broken", "hot_spot", "scratch"], dataset.BaseClasses);
        Assert.Equal(["MT_Blowhole", "MT_Crack"], dataset.NovelClasses);
        Assert.Equal([2, 0, 1, 2, -1, -1, -1], dataset.Samples.Select(s => s.Label));
        Assert.Equal([2, 0, 1, 2, 4, -1, 3], dataset.Samples.Select(s => s.EvaluationClass));
        Assert.Equal([0, 1, 2, 3], dataset.LabelledIndices);
        Assert.Equal([4, 5, 6], dataset.UnlabelledIndices);
    }

    [Fact]
    public void Create_WithoutBaseCrops_HasOnlyUnlabelledSamples()
    {
        using var dataset = CropDataset.Create([], [Crop("b"), Crop("a")]);

        Assert.Empty(dataset.BaseClasses);
        Assert.Equal([-1, -1], dataset.Samples.Select(s => s.Label));
        Assert.Equal([1, 0], dataset.Samples.Select(s => s.EvaluationClass));
    }

    [Fact]
    public void Create_NovelClassNamedLikeBaseClass_IsRefused()
    {
        var error = Assert.Throws<InvalidInputException>(() =>
            CropDataset.Create([Crop("crack"), Crop("hole")], [Crop("crack")], "base.csv", "novel.csv"));

        Assert.Equal("novel.csv", error.InputPath);
        Assert.Contains("'crack'", error.Problem);
    }

    [Fact]
    public void Create_WithoutUnlabelledCrops_IsRefused()
    {
        var error = Assert.Throws<InvalidInputException>(() => CropDataset.Create([Crop("crack")], [], "base.csv", "novel.csv"));

        Assert.Equal("novel.csv", error.InputPath);
        Assert.Contains("no unlabelled crops", error.Problem);
    }

    [Fact]
    public void Create_BaseCropWithoutLabel_IsRefused()
    {
        var error = Assert.Throws<InvalidInputException>(() => CropDataset.Create([Crop(null)], [Crop("x")], "base.csv"));

        Assert.Equal("base.csv", error.InputPath);
    }

    [Fact]
    public void Sample_CountsForegroundAndKeepsScoreAndSource()
    {
        var mask = SyntheticCrops.RectangleMask(20, 10, 2, 3, 7, 5);
        using var dataset = CropDataset.Create([], [new CropInput(new Mat(10, 20, MatType.CV_8UC3, Scalar.All(0)), mask, null, 0.25, "img/a.png", 1, "a")]);

        var sample = Assert.Single(dataset.Samples);
        Assert.Equal(10, sample.ForegroundArea);
        Assert.Equal(0.25, sample.Score);
        Assert.Equal("img/a.png", sample.SourceImage);
        Assert.Equal(1, sample.RegionIndex);
        Assert.False(sample.IsLabelled);
    }

    private static CropInput Crop(string? className) =>
        new(new Mat(8, 8, MatType.CV_8UC3, Scalar.All(0)), new GrayImage(8, 8), className, 0, "image.png", 0, "image.png#crop0");
}
