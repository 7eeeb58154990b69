using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Metrics;

namespace AnomalyNcd.Core.Tests.Metrics;

public class LabelledPredictionsTests
{
    private const string ManifestText =
        "split,label,image,mask,anomaly_map,line\n" +
        "test,Crack,x/1.png,,,\n" +
        "test,Free,x/2.png,,,\n" +
        "test,,x/3.png,,,\n";

    [Fact]
    public void Load_RegionLevel_EveryRegionInheritsItsImageLabel()
    {
        using var temp = TestData.NewTempFolder();
        var manifest = Write(temp, "m.csv", ManifestText);
        var predictions = Write(temp, "regions.csv", "class,region,image\nk1,0,x/1.png\nk2,1,x/1.png\nk1,0,x/2.png\nk2,0,x/3.png\n");

        var joined = LabelledPredictions.Load(predictions, manifest, EvaluationLevel.Region);

        Assert.Equal(["Crack", "Crack", "Free"], joined.TrueLabels);
        Assert.Equal(["k1", "k2", "k1"], joined.Predicted);
        Assert.Equal(4, joined.PredictionRows);
        Assert.Equal(1, joined.SkippedUnlabelled);
    }

    [Fact]
    public void Load_RegionLevelDuplicateRegion_NamesRegionAndImage()
    {
        using var temp = TestData.NewTempFolder();
        var manifest = Write(temp, "m.csv", ManifestText);
        var predictions = Write(temp, "regions.csv", "image,region,class\nx/1.png,0,k1\nx/1.png,0,k2\n");

        var error = Assert.Throws<InvalidInputException>(() => LabelledPredictions.Load(predictions, manifest, EvaluationLevel.Region));

        Assert.Equal(predictions, error.InputPath);
        Assert.Contains("line 3: duplicate prediction for region '0' of image 'x/1.png'", error.Problem);
    }

    [Fact]
    public void Load_EmptyClassCell_NamesLineAndColumn()
    {
        using var temp = TestData.NewTempFolder();
        var manifest = Write(temp, "m.csv", ManifestText);
        var predictions = Write(temp, "images.csv", "image,class\nx/1.png,k1\nx/2.png,  \n");

        var error = Assert.Throws<InvalidInputException>(() => LabelledPredictions.Load(predictions, manifest, EvaluationLevel.Image));

        Assert.Equal("line 3: the class column is empty", error.Problem);
    }

    private static string Write(TempFolder temp, string name, string content)
    {
        var path = temp.Combine(name);
        File.WriteAllText(path, content);
        return path;
    }
}
