using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Datasets.Importers;

namespace AnomalyNcd.Core.Tests.Datasets.Importers;

public class MvtecImporterTests
{
    [Fact]
    public void Import_PairsGroundTruthByMaskSuffixAndLeavesGoodWithoutMask()
    {
        using var temp = TestData.NewTempFolder();
        var root = temp.Combine("bottle");
        SyntheticImages.Write(Path.Combine(root, "train", "good", "000.png"));
        SyntheticImages.Write(Path.Combine(root, "train", "good", "001.png"));
        SyntheticImages.Write(Path.Combine(root, "test", "good", "000.png"));
        SyntheticImages.Write(Path.Combine(root, "test", "crack", "000.png"));
        SyntheticImages.Write(Path.Combine(root, "test", "crack", "001.png"));
        SyntheticImages.Write(Path.Combine(root, "ground_truth", "crack", "000_mask.png"));
        SyntheticImages.Write(Path.Combine(root, "ground_truth", "crack", "002_mask.png"));
        SyntheticImages.WriteText(Path.Combine(root, "test", ".DS_Store"), "x");

        var result = new MvtecImporter().Import(new ImportContext(root, Path.Combine(root, "manifest.csv")));

        Assert.Equal(
            ["train/good/000.png", "train/good/001.png", "test/crack/000.png", "test/crack/001.png", "test/good/000.png"],
            result.Rows.Select(r => r.Image));
        Assert.Equal(["train", "train", "test", "test", "test"], result.Rows.Select(r => r.Split));
        Assert.Equal(["good", "good", "crack", "crack", "good"], result.Rows.Select(r => r.Label));
        Assert.Equal([null, null, "ground_truth/crack/000_mask.png", null, null], result.Rows.Select(r => r.Mask));
        Assert.All(result.Rows, r => Assert.Equal("bottle", r.Line));
        Assert.Equal(["001.png", "002_mask.png"], result.Warnings.Select(w => Path.GetFileName(w.Path)).Order());
        Assert.All(result.Warnings, w => Assert.Equal(ImportWarningKind.Unpaired, w.Kind));
    }

    [Fact]
    public void Import_FolderWithoutTrainOrTest_Fails()
    {
        using var temp = TestData.NewTempFolder();
        SyntheticImages.Write(temp.Combine("somewhere", "a.png"));

        var ex = Assert.Throws<InvalidInputException>(() => new MvtecImporter().Import(new ImportContext(temp.Path, temp.Combine("m.csv"))));

        Assert.Contains("not an MVTec AD category folder", ex.Message);
    }
}
