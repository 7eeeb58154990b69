using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Datasets;

namespace AnomalyNcd.Core.Tests.Datasets;

public class StemPairingTests
{
    [Fact]
    public void Pair_FlatFolders_MatchesByStemNotByIndex()
    {
        using var temp = TestData.NewTempFolder();
        foreach (var stem in new[] { "a", "b", "c" })
        {
            SyntheticImages.Write(temp.Combine("images", stem + ".png"));
        }

        foreach (var stem in new[] { "b", "c", "d" })
        {
            SyntheticImages.Write(temp.Combine("masks", stem + ".png"));
        }

        var result = StemPairing.Pair(
            StemPairing.Scan("image", temp.Combine("images"), recursive: false),
            StemPairing.Scan("mask", temp.Combine("masks"), recursive: false));

        // Sorted-index pairing would give a↔b, b↔c, c↔d.
        var partners = result.Images.ToDictionary(p => Path.GetFileName(p.Image), p => p.Partners[0] is null ? null : Path.GetFileName(p.Partners[0]));
        Assert.Null(partners["a.png"]);
        Assert.Equal("b.png", partners["b.png"]);
        Assert.Equal("c.png", partners["c.png"]);
        Assert.Equal([temp.Combine("images", "a.png")], result.ImagesWithout("mask"));
        Assert.Equal([temp.Combine("masks", "d.png")], result.Orphans("mask"));
    }

    [Fact]
    public void Pair_MirroredTrees_MatchesRelativeFolderAndStem()
    {
        using var temp = TestData.NewTempFolder();
        SyntheticImages.Write(temp.Combine("data", "x", "1.jpg"));
        SyntheticImages.Write(temp.Combine("data", "y", "1.jpg"));
        SyntheticImages.Write(temp.Combine("maps", "x", "1.png"));
        SyntheticImages.Write(temp.Combine("maps", "y", "1.png"));
        SyntheticImages.Write(temp.Combine("maps", "z", "1.png"));

        var result = StemPairing.Pair(
            StemPairing.Scan("image", temp.Combine("data"), recursive: true),
            StemPairing.Scan("map", temp.Combine("maps"), recursive: true));

        Assert.Equal(2, result.Images.Count);
        Assert.Equal(temp.Combine("maps", "x", "1.png"), result.Images[0].Partners[0]);
        Assert.Equal(temp.Combine("maps", "y", "1.png"), result.Images[1].Partners[0]);
        Assert.Equal("x/1", result.Images[0].Key);
        Assert.Empty(result.ImagesWithout("map"));
        Assert.Equal([temp.Combine("maps", "z", "1.png")], result.Orphans("map"));
    }

    [Fact]
    public void Pair_MaskSuffix_IsStrippedAndFilesWithoutItAreOrphans()
    {
        using var temp = TestData.NewTempFolder();
        SyntheticImages.Write(temp.Combine("test", "000.png"));
        SyntheticImages.Write(temp.Combine("test", "001.png"));
        SyntheticImages.Write(temp.Combine("gt", "000_mask.png"));
        SyntheticImages.Write(temp.Combine("gt", "001.png"));

        var result = StemPairing.Pair(
            StemPairing.Scan("image", temp.Combine("test"), recursive: false),
            StemPairing.Scan("mask", temp.Combine("gt"), recursive: false, "_mask"));

        Assert.Equal(temp.Combine("gt", "000_mask.png"), result.Images[0].Partners[0]);
        Assert.Null(result.Images[1].Partners[0]);
        Assert.Equal([temp.Combine("gt", "001.png")], result.Orphans("mask"));
    }

    [Fact]
    public void Pair_StemOnly_PairsTreeWithFlatFolder()
    {
        using var temp = TestData.NewTempFolder();
        var image = SyntheticImages.Write(temp.Combine("data", "class", "q.jpg"));
        var map = SyntheticImages.Write(temp.Combine("maps", "q.png"));

        var result = StemPairing.Pair(
            new StemPairing.FileSet("image", temp.Combine("data"), [image], StemOnly: true),
            StemPairing.Scan("map", temp.Combine("maps"), recursive: false) with { StemOnly = true });

        Assert.Equal(map, result.Images.Single().Partners[0]);
        Assert.Empty(result.Unpaired);
    }

    [Fact]
    public void Pair_TwoFilesWithOneStem_AreRefused()
    {
        using var temp = TestData.NewTempFolder();
        SyntheticImages.Write(temp.Combine("images", "a.png"));
        SyntheticImages.Write(temp.Combine("images", "a.jpg"));
        SyntheticImages.Write(temp.Combine("masks", "a.png"));

        var ex = Assert.Throws<InvalidInputException>(() => StemPairing.Pair(
            StemPairing.Scan("image", temp.Combine("images"), recursive: false),
            StemPairing.Scan("mask", temp.Combine("masks"), recursive: false)));
        Assert.Contains("same name stem", ex.Message);
    }

    [Fact]
    public void Scan_SkipsHiddenFilesAndSortsOrdinally()
    {
        using var temp = TestData.NewTempFolder();
        SyntheticImages.Write(temp.Combine("a.png"));
        SyntheticImages.Write(temp.Combine("B.png"));
        SyntheticImages.Write(temp.Combine(".hidden.png"));
        SyntheticImages.WriteText(temp.Combine(".DS_Store"), "x");
        SyntheticImages.Write(temp.Combine(".git", "c.png"));
        SyntheticImages.Write(temp.Combine("sub", "c.png"));

        var set = StemPairing.Scan("image", temp.Path, recursive: true);

        Assert.Equal(["B.png", "a.png", "sub/c.png"], set.Files.Select(f => Path.GetRelativePath(temp.Path, f)));
    }
}
