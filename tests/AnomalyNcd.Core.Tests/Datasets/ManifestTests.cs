using System.Text;
using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Datasets;

namespace AnomalyNcd.Core.Tests.Datasets;

public class ManifestTests
{
    [Fact]
    public void SaveThenLoad_KeepsRowsWithCommasQuotesAndEmptyCells()
    {
        using var temp = TestData.NewTempFolder();
        var path = temp.Combine("sub", "m.csv");
        ManifestRow[] rows =
        [
            new("img/a,b.png", "maps/a.png", "masks/\"quoted\".png", "MT_Crack", "mtd", "test"),
            new("img/ü.png", Label: "good", Split: "train"),
            new("img/multi\nline.png"),
        ];

        Manifest.Save(path, rows);
        var loaded = Manifest.Load(path);

        Assert.Equal(rows, loaded.Rows);
        Assert.Equal(temp.Combine("sub"), loaded.Folder);
        Assert.Equal(temp.Combine("sub", "img", "ü.png"), loaded.Resolve(loaded.Rows[1].Image));
        Assert.StartsWith("image,anomaly_map,mask,label,line,split\n", File.ReadAllText(path));
    }

    [Fact]
    public void Load_AcceptsBomReorderedAndExtraColumnsAndBlankLines()
    {
        using var temp = TestData.NewTempFolder();
        var path = temp.Combine("m.csv");
        var text = "split,label,extra,line,mask,anomaly_map,image\r\ntest,dent,zzz,l1,,,\"a.png\"\r\n\r\ntrain,,,l1,m.png,,b.png\r\n";
        File.WriteAllBytes(path, [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)]);

        var loaded = Manifest.Load(path);

        Assert.Equal(
            [new ManifestRow("a.png", null, null, "dent", "l1", "test"), new ManifestRow("b.png", null, "m.png", null, "l1", "train")],
            loaded.Rows);
    }

    [Fact]
    public void Load_MissingColumns_FailsNamingThem()
    {
        using var temp = TestData.NewTempFolder();
        var path = temp.Combine("m.csv");
        File.WriteAllText(path, "image,label\na.png,x\n");

        var ex = Assert.Throws<InvalidInputException>(() => Manifest.Load(path));

        Assert.Equal(path, ex.InputPath);
        Assert.Contains("anomaly_map, mask, line, split", ex.Problem);
    }

    [Theory]
    [InlineData("a.png", "a.png")]
    [InlineData("a.png", "./a.png")]
    [InlineData("x/a.png", "x/../x/a.png")]
    public void Load_DuplicateImage_FailsWithBothLines(string first, string second)
    {
        using var temp = TestData.NewTempFolder();
        var path = temp.Combine("m.csv");
        File.WriteAllText(path, $"image,anomaly_map,mask,label,line,split\n{first},,,,,\nb.png,,,,,\n{second},,,,,\n");

        var ex = Assert.Throws<InvalidInputException>(() => Manifest.Load(path));

        Assert.Contains($"line 4: duplicate image '{second}' (first on line 2)", ex.Problem);
    }

    [Fact]
    public void Load_EmptyImageCell_Fails()
    {
        using var temp = TestData.NewTempFolder();
        var path = temp.Combine("m.csv");
        File.WriteAllText(path, "image,anomaly_map,mask,label,line,split\n,,,good,,\n");

        var ex = Assert.Throws<InvalidInputException>(() => Manifest.Load(path));

        Assert.Contains("line 2: the image column is empty", ex.Problem);
    }
}
