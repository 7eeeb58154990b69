using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Detection;
using AnomalyNcd.Core.Features;
using AnomalyNcd.Core.Imaging;
using OpenCvSharp;

namespace AnomalyNcd.Core.Tests.Detection;

public class TilePlanTests
{
    [Theory]
    [InlineData(116, 278)]
    [InlineData(632, 260)]
    [InlineData(224, 224)]
    [InlineData(300, 301)]
    public void For_ShorterSideBecomesOneTileAndTilesOverlapOnTheStride(int width, int height)
    {
        var plan = TilePlan.For(width, height);

        Assert.Equal(TilePlan.Tile, Math.Min(plan.ScaledWidth, plan.ScaledHeight));
        Assert.Equal(width / (double)height, plan.ScaledWidth / (double)plan.ScaledHeight, 1);
        foreach (var (origins, padded) in new[] { (plan.OriginsX, plan.PaddedWidth), (plan.OriginsY, plan.PaddedHeight) })
        {
            Assert.Equal(0, padded % TilePlan.Stride);
            Assert.Equal(0, origins[0]);
            Assert.Equal(padded - TilePlan.Tile, origins[^1]);
            Assert.All(origins, o => Assert.Equal(0, o % TilePlan.Stride));
            for (var t = 1; t < origins.Count; t++)
            {
                Assert.True(origins[t - 1] + TilePlan.Tile - origins[t] >= TilePlan.MinimumOverlap, $"tiles {t - 1} and {t} overlap by less than {TilePlan.MinimumOverlap} px");
            }

            // Every cell is taken from a tile that contains it.
            var nearest = TilePlan.NearestTile(origins, padded / TilePlan.Stride);
            for (var c = 0; c < nearest.Length; c++)
            {
                var local = c - (origins[nearest[c]] / TilePlan.Stride);
                Assert.InRange(local, 0, (TilePlan.Tile / TilePlan.Stride) - 1);
            }
        }
    }

    [Fact]
    public void TiledExtractor_NonSquareImage_GridOfTheTilePlanAndMapsAtTheImageSize()
    {
        using var temp = TestData.NewTempFolder();
        var path = temp.Combine("narrow.png");
        using (var image = new Mat(250, 110, MatType.CV_8UC3, new Scalar(90, 120, 150)))
        {
            Cv2.Circle(image, new Point(55, 180), 9, new Scalar(10, 10, 10), -1);
            ImageFiles.WritePng(path, image);
        }

        using var extractor = new PatchFeatureExtractor(new ResNet18Options { Precision = BackbonePrecision.Fp32 }, PatchLayout.Tiles);
        var patches = extractor.ExtractFile(path);
        var plan = TilePlan.For(110, 250);

        Assert.Equal((plan.Columns, plan.Rows), (patches.Columns, patches.Rows));
        Assert.Equal(patches.Count * extractor.Dimension, patches.Patches.Length);
        Assert.True(patches.CoveredWidth >= 110 && patches.CoveredHeight >= 250);

        using var detector = PatchCoreDetector.Fit([path, path], null, extractor, new PatchCoreOptions(CoresetFraction: 0.5, Precision: BackbonePrecision.Fp32, Layout: PatchLayout.Tiles));
        var map = detector.Score([path], extractor)[0];
        Assert.Equal((110, 250), (map.Width, map.Height));
        Assert.Equal("tiles", detector.Metadata.Layout);

        using var squash = new PatchFeatureExtractor(new ResNet18Options { Precision = BackbonePrecision.Fp32 });
        var refused = Assert.Throws<InvalidInputException>(() => detector.Score([path], squash));
        Assert.Contains("patch layout", refused.Message, StringComparison.Ordinal);
    }
}
