using AnomalyNcd.Core.Training.Data;
using OpenCvSharp;

namespace AnomalyNcd.Core.Tests.Training.Data;

public class CropAugmentationsTests
{
    private const int Size = 24;

    [Fact]
    public void FlipHorizontal_MirrorsColumnsExactly()
    {
        using var image = SyntheticCrops.NoiseRgb(Size, Size);

        using var flipped = CropAugmentations.FlipHorizontal(image);

        AssertPermutation(image, flipped, (x, y) => (Size - 1 - x, y));
    }

    [Fact]
    public void FlipVertical_MirrorsRowsExactly()
    {
        using var image = SyntheticCrops.NoiseRgb(Size, Size);

        using var flipped = CropAugmentations.FlipVertical(image);

        AssertPermutation(image, flipped, (x, y) => (x, Size - 1 - y));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void RotateCounterClockwise_IsTheExpectedPixelPermutation(int quarterTurns)
    {
        using var image = SyntheticCrops.NoiseRgb(Size, Size);

        using var rotated = CropAugmentations.RotateCounterClockwise(image, quarterTurns);

        // Output pixel (x, y) of a counter-clockwise quarter turn comes from input (n-1-y, x).
        AssertPermutation(image, rotated, (x, y) =>
        {
            for (var t = 0; t < quarterTurns; t++)
            {
                (x, y) = (Size - 1 - y, x);
            }

            return (x, y);
        });
    }

    [Fact]
    public void RotateCounterClockwise_QuarterTurnMovesTopRightToTopLeft()
    {
        var bytes = new byte[] { 1, 2, 3, 4 };
        using var image = SyntheticCrops.FromBytes(bytes, 2, 2, MatType.CV_8UC1);

        using var rotated = CropAugmentations.RotateCounterClockwise(image, 1);

        Assert.Equal([2, 4, 1, 3], SyntheticCrops.Bytes(rotated));
    }

    [Theory]
    [InlineData(5, 0b1011_0000)]
    [InlineData(6, 0b1011_0100)]
    [InlineData(7, 0b1011_0110)]
    [InlineData(8, 0b1011_0111)]
    public void Posterize_KeepsTheTopBits(int bits, int expected)
    {
        using var image = SyntheticCrops.FromBytes([0b1011_0111, 0b1011_0111, 255], 1, 1, MatType.CV_8UC3);

        using var result = CropAugmentations.Posterize(image, bits);

        var output = SyntheticCrops.Bytes(result);
        Assert.Equal(expected, output[0]);
        Assert.Equal((byte)(0xFF << (8 - bits)), output[2]);
    }

    [Fact]
    public void GaussianBlur_KeepsTheMeanAndAConstantImage()
    {
        using var noise = SyntheticCrops.NoiseRgb(64, 64);
        using var constant = new Mat(64, 64, MatType.CV_8UC3, Scalar.All(77));

        using var blurredNoise = CropAugmentations.GaussianBlur(noise, 33, 2.0);
        using var blurredConstant = CropAugmentations.GaussianBlur(constant, 9, 0.7);

        Assert.InRange(Math.Abs(Cv2.Mean(blurredNoise).Val0 - Cv2.Mean(noise).Val0), 0, 1.0);
        Assert.All(SyntheticCrops.Bytes(blurredConstant), v => Assert.Equal(77, v));
        Assert.True(Spread(blurredNoise) < Spread(noise) / 2);
    }

    [Fact]
    public void GaussianBlur_EvenKernel_IsRefused()
    {
        using var image = SyntheticCrops.NoiseRgb(8, 8);

        Assert.Throws<ArgumentOutOfRangeException>(() => CropAugmentations.GaussianBlur(image, 10, 1.0));
    }

    private static double Spread(Mat image)
    {
        Cv2.MeanStdDev(image, out _, out var std);
        return std.Val0;
    }

    private static void AssertPermutation(Mat input, Mat output, Func<int, int, (int X, int Y)> source)
    {
        var before = SyntheticCrops.Bytes(input);
        var after = SyntheticCrops.Bytes(output);
        for (var y = 0; y < Size; y++)
        {
            for (var x = 0; x < Size; x++)
            {
                var (sx, sy) = source(x, y);
                for (var c = 0; c < 3; c++)
                {
                    Assert.Equal(before[(((sy * Size) + sx) * 3) + c], after[(((y * Size) + x) * 3) + c]);
                }
            }
        }
    }
}
