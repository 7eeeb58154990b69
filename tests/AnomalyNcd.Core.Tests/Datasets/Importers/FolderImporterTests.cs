using AnomalyNcd.Core.Datasets.Importers;

namespace AnomalyNcd.Core.Tests.Datasets.Importers;

public class FolderImporterTests
{
    [Fact]
    public void Import_LabelsBySubFolderAndReportsStrayFiles()
    {
        using var temp = TestData.NewTempFolder();
        var root = temp.Combine("parts");
        SyntheticImages.Write(Path.Combine(root, "scratch", "2.png"));
        SyntheticImages.Write(Path.Combine(root, "scratch", "1.jpg"));
        SyntheticImages.Write(Path.Combine(root, "dent", "x.png"));
        SyntheticImages.Write(Path.Combine(root, "loose.png"));
        SyntheticImages.Write(Path.Combine(root, "dent", "deeper", "y.png"));
        SyntheticImages.WriteText(Path.Combine(root, "dent", "notes.txt"), "not an image");
        SyntheticImages.WriteText(Path.Combine(root, ".DS_Store"), "x");

        var result = new FolderImporter("test").Import(new ImportContext(root, temp.Combine("m.csv")));

        Assert.Equal(["parts/dent/x.png", "parts/scratch/1.jpg", "parts/scratch/2.png"], result.Rows.Select(r => r.Image));
        Assert.Equal(["dent", "scratch", "scratch"], result.Rows.Select(r => r.Label));
        Assert.All(result.Rows, r => Assert.Equal("test", r.Split));
        Assert.All(result.Rows, r => Assert.Equal("parts", r.Line));
        Assert.All(result.Rows, r => Assert.Null(r.Mask));
        Assert.Equal(["deeper", "loose.png"], result.Warnings.Select(w => Path.GetFileName(w.Path)).Order());
    }

    [Fact]
    public void Import_WithoutSplitAndWithLine_LeavesSplitEmpty()
    {
        using var temp = TestData.NewTempFolder();
        SyntheticImages.Write(temp.Combine("a", "1.png"));

        var result = new FolderImporter().Import(new ImportContext(temp.Path, temp.Combine("m.csv"), Line: "line7"));

        var row = Assert.Single(result.Rows);
        Assert.Null(row.Split);
        Assert.Equal("line7", row.Line);
    }
}
