using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Datasets;
using AnomalyNcd.Core.Maps;

namespace AnomalyNcd.Core.Tests.Maps;

public class MapFolderMatcherTests
{
    private static void Touch(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, string.Empty);
    }

    private static Manifest Images(TempFolder temp, params string[] images) =>
        new(temp.Combine("data"), [.. images.Select(i => new ManifestRow(i, Line: "a", Split: "test"))]);

    [Fact]
    public void Match_FlatFolder_PairsByStemAndReportsBothSides()
    {
        using var temp = TestData.NewTempFolder();
        var manifest = Images(temp, "a/images/x.png", "a/images/y.png", "b/images/z.png");
        Touch(temp.Combine("maps", "x.npy"));
        Touch(temp.Combine("maps", "z.tiff"));
        Touch(temp.Combine("maps", "stray.png"));

        var match = MapFolderMatcher.Match(manifest, manifest.Rows, temp.Combine("maps"));

        Assert.False(match.Nested);
        Assert.Equal(temp.Combine("maps", "x.npy"), match.MapOfImage["a/images/x.png"]);
        Assert.Equal(temp.Combine("maps", "z.tiff"), match.MapOfImage["b/images/z.png"]);
        Assert.Equal(["a/images/y.png"], match.ImagesWithoutMaps);
        Assert.Equal([temp.Combine("maps", "stray.png")], match.UnmatchedMaps);
    }

    [Fact]
    public void Match_Tree_PairsByRelativeFolderAndStem()
    {
        using var temp = TestData.NewTempFolder();
        var manifest = Images(temp, "a/images/x.png", "b/images/x.png");
        Touch(temp.Combine("maps", "a", "images", "x.npy"));
        Touch(temp.Combine("maps", "b", "images", "x.png"));
        Touch(temp.Combine("maps", "c", "images", "x.png"));

        var match = MapFolderMatcher.Match(manifest, manifest.Rows, temp.Combine("maps"));

        Assert.True(match.Nested);
        Assert.Equal(temp.Combine("maps", "a", "images", "x.npy"), match.MapOfImage["a/images/x.png"]);
        Assert.Equal(temp.Combine("maps", "b", "images", "x.png"), match.MapOfImage["b/images/x.png"]);
        Assert.Empty(match.ImagesWithoutMaps);
        Assert.Equal([temp.Combine("maps", "c", "images", "x.png")], match.UnmatchedMaps);
    }

    [Fact]
    public void Match_FlatFolderWithRepeatedImageStems_Refused()
    {
        using var temp = TestData.NewTempFolder();
        var manifest = Images(temp, "a/images/x.png", "b/images/x.png");
        Touch(temp.Combine("maps", "x.npy"));

        Assert.Throws<InvalidInputException>(() => MapFolderMatcher.Match(manifest, manifest.Rows, temp.Combine("maps")));
    }
}
