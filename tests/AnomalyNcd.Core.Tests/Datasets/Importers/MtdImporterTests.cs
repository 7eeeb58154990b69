using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Datasets.Importers;
using AnomalyNcd.Core.Imaging;
using OpenCvSharp;

namespace AnomalyNcd.Core.Tests.Datasets.Importers;

public class MtdImporterTests
{
    /// <summary>MT_Free with three normal images, MT_Crack with a soft mask, an empty mask, an image without mask and a stray mask.</summary>
    private static (string Root, string Split) BuildTree(TempFolder temp, string splitText = "f1.jpg\nf3.jpg\n")
    {
        var root = temp.Combine("mtd");
        foreach (var stem in new[] { "f1", "f2", "f3" })
        {
            SyntheticImages.Write(Path.Combine(root, "MT_Free", "Imgs", stem + ".jpg"), value: 90);
            SyntheticImages.Write(Path.Combine(root, "MT_Free", "Imgs", stem + ".png"));
        }

        var crack = Path.Combine(root, "MT_Crack", "Imgs");
        SyntheticImages.Write(Path.Combine(crack, "c1.jpg"), value: 80);
        SyntheticImages.Write(Path.Combine(crack, "c1.png"), value: 100, bright: new Rect(2, 1, 3, 2), brightValue: 200);
        SyntheticImages.Write(Path.Combine(crack, "c2.jpg"), value: 80);
        SyntheticImages.Write(Path.Combine(crack, "c2.png"), value: 127);
        SyntheticImages.Write(Path.Combine(crack, "c3.jpg"), value: 80);
        SyntheticImages.Write(Path.Combine(crack, "stray.png"));
        Directory.CreateDirectory(Path.Combine(root, "splits"));
        var split = SyntheticImages.WriteText(Path.Combine(root, "splits", "train.txt"), splitText);
        return (root, split);
    }

    [Fact]
    public void Import_SplitsNormalImagesByListAndLabelsByFolder()
    {
        using var temp = TestData.NewTempFolder();
        var (root, split) = BuildTree(temp);
        var manifest = temp.Combine("out", "mtd.csv");

        var result = new MtdImporter(split).Import(new ImportContext(root, manifest));

        Assert.Equal(
            ["MT_Crack/Imgs/c1.jpg", "MT_Crack/Imgs/c2.jpg", "MT_Crack/Imgs/c3.jpg", "MT_Free/Imgs/f1.jpg", "MT_Free/Imgs/f2.jpg", "MT_Free/Imgs/f3.jpg"],
            result.Rows.Select(r => r.Image.Replace("../mtd/", string.Empty)));
        Assert.Equal(["test", "test", "test", "train", "test", "train"], result.Rows.Select(r => r.Split));
        Assert.Equal(["MT_Crack", "MT_Crack", "MT_Crack", "MT_Free", "MT_Free", "MT_Free"], result.Rows.Select(r => r.Label));
        Assert.All(result.Rows, r => Assert.Equal("mtd", r.Line));
        Assert.Equal("../mtd/MT_Crack/Imgs/c1.png", result.Rows[0].Mask);
        Assert.Null(result.Rows[2].Mask);
    }

    [Fact]
    public void Import_ReportsEmptyDefectMasksAndUnpairedFiles()
    {
        using var temp = TestData.NewTempFolder();
        var (root, split) = BuildTree(temp);

        var result = new MtdImporter(split).Import(new ImportContext(root, temp.Combine("mtd.csv")));

        // c2's mask peaks at 127, which is not above the >127 threshold; normal masks are expected to be empty.
        var empty = Assert.Single(result.Warnings, w => w.Kind == ImportWarningKind.EmptyMask);
        Assert.EndsWith("c2.png", empty.Path);
        var unpaired = result.Warnings.Where(w => w.Kind == ImportWarningKind.Unpaired).Select(w => Path.GetFileName(w.Path)).Order().ToList();
        Assert.Equal(["c3.jpg", "stray.png"], unpaired);
    }

    [Fact]
    public void Import_UnknownNameInSplitFile_FailsNamingTheLine()
    {
        using var temp = TestData.NewTempFolder();
        var (root, split) = BuildTree(temp, "f1.jpg\n\nmissing.jpg\n");

        var ex = Assert.Throws<InvalidInputException>(() => new MtdImporter(split).Import(new ImportContext(root, temp.Combine("mtd.csv"))));

        Assert.Equal(split, ex.InputPath);
        Assert.Contains("line 3: 'missing.jpg'", ex.Problem);
    }

    [Fact]
    public void Import_MissingSplitFile_Fails()
    {
        using var temp = TestData.NewTempFolder();
        var (root, _) = BuildTree(temp);

        var ex = Assert.Throws<InvalidInputException>(() => new MtdImporter(temp.Combine("nope.txt")).Import(new ImportContext(root, temp.Combine("mtd.csv"))));

        Assert.Contains("split file does not exist", ex.Message);
    }

    [Fact]
    public void Import_BinarizeMasks_WritesThresholded0And255Masks()
    {
        using var temp = TestData.NewTempFolder();
        var (root, split) = BuildTree(temp);
        var binary = temp.Combine("out", "masks");

        var result = new MtdImporter(split, binary).Import(new ImportContext(root, temp.Combine("out", "mtd.csv")));

        Assert.Equal("masks/MT_Crack/c1.png", result.Rows[0].Mask);
        var mask = ImageFiles.ReadGray(Path.Combine(binary, "MT_Crack", "c1.png"));
        Assert.All(mask.Pixels, p => Assert.True(p is 0 or 255));
        Assert.Equal(6, mask.CountNonZero()); // the 3x2 block at 200; the 100 background is below the threshold
        Assert.Equal(255, mask[2, 1]);
        Assert.Equal(0, mask[0, 0]);
    }

    [Fact]
    public void Import_RealMtd_Gives1344RowsWithTheDifferNetSplit()
    {
        var root = TestData.RequireFile("mtd");
        var split = TestData.RequireFile("mtd", "splits", "differnet_train_normal.txt");
        using var temp = TestData.NewTempFolder();

        var result = new MtdImporter(split).Import(new ImportContext(root, temp.Combine("mtd.csv")));

        Assert.Equal(1344, result.Rows.Count);
        Assert.Equal(761, result.Rows.Count(r => r.Split == "train"));
        Assert.Equal(583, result.Rows.Count(r => r.Split == "test"));
        Assert.All(result.Rows.Where(r => r.Split == "train"), r => Assert.Equal("MT_Free", r.Label));
        var counts = result.Rows.GroupBy(r => r.Label!).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(
            new Dictionary<string, int> { ["MT_Blowhole"] = 115, ["MT_Break"] = 85, ["MT_Crack"] = 57, ["MT_Fray"] = 32, ["MT_Uneven"] = 103, ["MT_Free"] = 952 },
            counts);
        Assert.All(result.Rows, r => Assert.NotNull(r.Mask));
        var empty = result.Warnings.Where(w => w.Kind == ImportWarningKind.EmptyMask).Select(w => Path.GetFileNameWithoutExtension(w.Path)).Order(StringComparer.Ordinal);
        Assert.Equal(["exp3_num_45042", "exp4_num_124690", "exp4_num_352527", "exp4_num_45057"], empty);
        Assert.Equal(4, result.Warnings.Count);
    }
}
