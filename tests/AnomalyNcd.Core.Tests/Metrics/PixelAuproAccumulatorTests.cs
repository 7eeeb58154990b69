using AnomalyNcd.Core.Datasets;
using AnomalyNcd.Core.Imaging;
using AnomalyNcd.Core.Metrics;

namespace AnomalyNcd.Core.Tests.Metrics;

public class PixelAuproAccumulatorTests
{
    private const int Width = 4;

    /// <summary>A 4×4 mask with one anomalous pixel at <paramref name="pixel"/>, and a map that finds it (or misses it, scoring another pixel highest).</summary>
    private static (float[] Map, byte[] Mask) Image(int pixel, bool found)
    {
        var mask = new byte[Width * Width];
        mask[pixel] = 255;
        var map = new float[Width * Width];
        map[found ? pixel : (pixel + 5) % map.Length] = 1;
        return (map, mask);
    }

    [Fact]
    public void Compute_AddedOutOfOrder_EqualsAuproOverTheSameImagesInIndexOrder()
    {
        var images = new[] { Image(0, true), Image(6, false), Image(10, true) };
        var pixels = new PixelAuproAccumulator(images.Length);
        foreach (var i in new[] { 2, 0, 1 })
        {
            pixels.Add(i, images[i].Map, images[i].Mask, Width, "scratch");
        }

        var expected = Aupro.Compute([.. images.Select(i => i.Map)], [.. images.Select(i => i.Mask)], [Width, Width, Width]);
        Assert.Equal(expected, pixels.Compute()!.Value, 12);
        Assert.InRange(expected, 0.01, 0.99);
    }

    [Fact]
    public void ComputeFor_UsesThatLabelsImagesWithTheNormalOnes()
    {
        var normal = (Map: new float[Width * Width], Mask: new byte[Width * Width]);
        var found = Image(3, true);
        var missed = Image(9, false);
        var pixels = new PixelAuproAccumulator(3);
        pixels.Add(0, normal.Map, normal.Mask, Width);
        pixels.Add(1, found.Map, found.Mask, Width, "found");
        pixels.Add(2, missed.Map, missed.Mask, Width, "missed");

        Assert.Equal(["found", "missed"], pixels.DefectLabels);
        Assert.Equal(Aupro.Compute([normal.Map, found.Map], [normal.Mask, found.Mask], [Width, Width]), pixels.ComputeFor("found")!.Value, 12);
        Assert.Equal(Aupro.Compute([normal.Map, missed.Map], [normal.Mask, missed.Mask], [Width, Width]), pixels.ComputeFor("missed")!.Value, 12);
        Assert.True(pixels.ComputeFor("found") > pixels.ComputeFor("missed"));
    }

    [Fact]
    public void Compute_WithAnImageMissing_IsNull()
    {
        var (map, mask) = Image(0, true);
        var pixels = new PixelAuproAccumulator(2);
        pixels.Add(0, map, mask, Width);

        Assert.False(pixels.Complete);
        Assert.Null(pixels.Compute());
        Assert.Null(pixels.ComputeFor("any"));
    }

    [Fact]
    public void Add_MapAndMaskOfDifferentSizes_Throws()
    {
        var pixels = new PixelAuproAccumulator(1);

        Assert.Throws<ArgumentException>(() => pixels.Add(0, new float[16], new byte[12], Width));
    }

    [Fact]
    public void AddRow_NormalWithoutMaskCountsAsAllNormal_DefectiveWithoutMaskMakesItUnavailable()
    {
        using var temp = TestData.NewTempFolder();
        var manifest = new Manifest(temp.Path, []);
        var (map, _) = Image(5, true);
        var normalOnly = new PixelAuproAccumulator(1);
        normalOnly.Add(0, map, Width, new ManifestRow("a.png", Label: "good"), manifest);
        var unmasked = new PixelAuproAccumulator(1);
        unmasked.Add(0, map, Width, new ManifestRow("b.png", Label: "scratch"), manifest);

        Assert.True(normalOnly.Complete);
        Assert.True(double.IsNaN(normalOnly.Compute()!.Value)); // no defect region anywhere
        Assert.False(unmasked.Complete);
        Assert.Null(unmasked.Compute());
    }

    [Fact]
    public void AddRow_MaskOfAnotherSize_IsResizedToTheMapWithNearestNeighbour()
    {
        using var temp = TestData.NewTempFolder();
        // An 8×8 mask whose top-left 2×2 block is anomalous: pixel (0, 0) of the 4×4 map.
        var big = new GrayImage(8, 8);
        foreach (var p in new[] { 0, 1, 8, 9 })
        {
            big.Pixels[p] = 255;
        }

        ImageFiles.WritePng(temp.Combine("mask.png"), big);
        var manifest = new Manifest(temp.Path, []);
        var found = new PixelAuproAccumulator(1);
        found.Add(0, Image(0, true).Map, Width, new ManifestRow("c.png", Mask: "mask.png", Label: "scratch"), manifest);
        var missed = new PixelAuproAccumulator(1);
        missed.Add(0, Image(0, false).Map, Width, new ManifestRow("c.png", Mask: "mask.png", Label: "scratch"), manifest);

        Assert.Equal(["scratch"], found.DefectLabels);
        Assert.Equal(1.0, found.Compute()!.Value, 9);
        Assert.InRange(missed.Compute()!.Value, 0, 0.5); // found only where every pixel ties
    }
}
