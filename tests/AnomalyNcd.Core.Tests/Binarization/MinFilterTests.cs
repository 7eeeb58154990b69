using AnomalyNcd.Core.Binarization;
using AnomalyNcd.Core.Imaging;
using OpenCvSharp;

namespace AnomalyNcd.Core.Tests.Binarization;

public class MinFilterTests
{
    private static GrayImage ErodeOwn(GrayImage image, int kernel = 6)
    {
        var result = new GrayImage(image.Width, image.Height);
        MinFilter.Erode(image.Pixels, result.Pixels, new byte[image.Pixels.Length], image.Width, image.Height, kernel);
        return result;
    }

    private static GrayImage ErodeOpenCv(GrayImage image, int kernel = 6)
    {
        using var src = image.ToMat();
        using var dst = new Mat();
        using var ones = Mat.Ones(kernel, kernel, MatType.CV_8UC1).ToMat();
        Cv2.Erode(src, dst, ones);
        return GrayImage.FromMat(dst);
    }

    private static GrayImage Block(int size, int x0, int y0, int side, byte inside = 255, byte outside = 0)
    {
        var image = new GrayImage(size, size);
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                image[x, y] = x >= x0 && x < x0 + side && y >= y0 && y < y0 + side ? inside : outside;
            }
        }

        return image;
    }

    /// <summary>Rows and columns of the foreground bounding box, or null when empty.</summary>
    private static (int X0, int Y0, int X1, int Y1)? Box(GrayImage image)
    {
        int x0 = int.MaxValue, y0 = int.MaxValue, x1 = -1, y1 = -1;
        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                if (image[x, y] != 0)
                {
                    (x0, y0, x1, y1) = (Math.Min(x0, x), Math.Min(y0, y), Math.Max(x1, x), Math.Max(y1, y));
                }
            }
        }

        return x1 < 0 ? null : (x0, y0, x1, y1);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Erode_CornerBlocks_ShrinkAsOpenCvAnchorDictates(bool viaOpenCv)
    {
        // §16 vector 5: a 6x6 block in the top-left corner survives as 4x4, in the bottom-right as 3x3
        Func<GrayImage, GrayImage> erode = viaOpenCv ? i => ErodeOpenCv(i) : i => ErodeOwn(i);
        var topLeft = erode(Block(20, 0, 0, 6));
        Assert.Equal((0, 0, 3, 3), Box(topLeft));
        Assert.Equal(16, topLeft.CountNonZero());

        var bottomRight = erode(Block(20, 14, 14, 6));
        Assert.Equal((17, 17, 19, 19), Box(bottomRight));
        Assert.Equal(9, bottomRight.CountNonZero());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Erode_InteriorBlock_LosesThreeTopLeftAndTwoBottomRight(bool viaOpenCv)
    {
        var image = Block(20, 5, 5, 10); // rows/cols 5..14
        var eroded = viaOpenCv ? ErodeOpenCv(image) : ErodeOwn(image);
        Assert.Equal((8, 8, 12, 12), Box(eroded));
        Assert.Equal(25, eroded.CountNonZero());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Erode_SingleBackgroundPixel_ClearsRowsAndColumnsFourToNine(bool viaOpenCv)
    {
        var image = Block(12, 0, 0, 12);
        image[6, 6] = 0;
        var eroded = viaOpenCv ? ErodeOpenCv(image) : ErodeOwn(image);
        for (var y = 0; y < 12; y++)
        {
            for (var x = 0; x < 12; x++)
            {
                var cleared = x is >= 4 and <= 9 && y is >= 4 and <= 9;
                Assert.True(eroded[x, y] == (cleared ? 0 : 255), $"pixel ({x},{y}) = {eroded[x, y]}");
            }
        }
    }

    [Fact]
    public void Erode_RandomGrayImages_EqualOpenCvForSeveralKernels()
    {
        var random = new Random(7);
        foreach (var kernel in new[] { 1, 2, 3, 5, 6, 7 })
        {
            for (var i = 0; i < 20; i++)
            {
                var width = random.Next(1, 70);
                var height = random.Next(1, 50);
                var image = SyntheticAnomalyMaps.Noise(random, width, height);
                Assert.Equal(ErodeOpenCv(image, kernel).Pixels, ErodeOwn(image, kernel).Pixels);
            }
        }
    }

    [Fact]
    public void Erode_ThenThreshold_EqualsThresholdThenErodeForEveryThreshold()
    {
        // §14.2: the fast final mask (eroded raw map > T) equals the reference's erode(255 · (A > T))
        var random = new Random(11);
        for (var i = 0; i < 6; i++)
        {
            var map = i % 2 == 0 ? SyntheticAnomalyMaps.DetectorLike(random, 61, 47) : SyntheticAnomalyMaps.Noise(random, 40, 33);
            var erodedRaw = ErodeOwn(map);
            for (var threshold = 0; threshold < 256; threshold++)
            {
                var above = new GrayImage(map.Width, map.Height);
                for (var p = 0; p < above.Pixels.Length; p++)
                {
                    above.Pixels[p] = map.Pixels[p] > threshold ? (byte)255 : (byte)0;
                }

                var expected = ErodeOpenCv(above).Pixels;
                var actual = erodedRaw.Pixels.Select(v => v > threshold ? (byte)255 : (byte)0).ToArray();
                Assert.True(expected.AsSpan().SequenceEqual(actual), $"map {i}, T = {threshold}");
            }
        }
    }
}
