using AnomalyNcd.Core.Training.Data;
using OpenCvSharp;

namespace AnomalyNcd.Core.Tests.Training.Data;

public class PilEnhanceTests
{
    [Fact]
    public void Brightness_FactorOne_IsIdentity()
    {
        using var image = SyntheticCrops.NoiseRgb(40, 30);

        using var result = PilEnhance.Brightness(image, 1.0);

        Assert.Equal(SyntheticCrops.Bytes(image), SyntheticCrops.Bytes(result));
    }

    [Fact]
    public void Brightness_ScalesTruncatesAndClips()
    {
        using var image = SyntheticCrops.FromBytes([201, 100, 250], 1, 1, MatType.CV_8UC3);

        using var half = PilEnhance.Brightness(image, 0.5);
        using var brighter = PilEnhance.Brightness(image, 1.5);

        Assert.Equal([100, 50, 125], SyntheticCrops.Bytes(half));
        Assert.Equal([255, 150, 255], SyntheticCrops.Bytes(brighter));
    }

    [Fact]
    public void Contrast_FactorZero_GivesTheRoundedMeanOfTheGrayImage()
    {
        // Two pixels: gray (10,10,10) -> L 10 and white -> L 255; mean 132.5 rounds to 133.
        using var image = SyntheticCrops.FromBytes([10, 10, 10, 255, 255, 255], 2, 1, MatType.CV_8UC3);

        using var flat = PilEnhance.Contrast(image, 0.0);
        using var same = PilEnhance.Contrast(image, 1.0);

        Assert.All(SyntheticCrops.Bytes(flat), v => Assert.Equal(133, v));
        Assert.Equal(SyntheticCrops.Bytes(image), SyntheticCrops.Bytes(same));
    }

    [Fact]
    public void Saturation_FactorZero_GivesPilLumaInEveryChannel()
    {
        using var image = SyntheticCrops.NoiseRgb(16, 8);
        var luma = PilEnhance.Luma(SyntheticCrops.Bytes(image));

        using var gray = PilEnhance.Saturation(image, 0.0);

        var bytes = SyntheticCrops.Bytes(gray);
        for (var p = 0; p < luma.Length; p++)
        {
            Assert.Equal([luma[p], luma[p], luma[p]], bytes[(3 * p)..((3 * p) + 3)]);
        }
    }

    [Fact]
    public void Luma_UsesPilWeights()
    {
        Assert.Equal([76, 150, 29, 255, 0], PilEnhance.Luma([255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255, 0, 0, 0]));
    }

    [Fact]
    public void Sharpness_FactorOne_IsIdentity()
    {
        using var image = SyntheticCrops.NoiseRgb(20, 20);

        using var result = PilEnhance.Sharpness(image, 1.0);

        Assert.Equal(SyntheticCrops.Bytes(image), SyntheticCrops.Bytes(result));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.2)]
    [InlineData(2.0)]
    public void Sharpness_LeavesTheBorderUnchanged_AndChangesTheInterior(double factor)
    {
        const int size = 12;
        using var image = SyntheticCrops.NoiseRgb(size, size);
        var before = SyntheticCrops.Bytes(image);

        using var result = PilEnhance.Sharpness(image, factor);

        var after = SyntheticCrops.Bytes(result);
        var interiorChanged = false;
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                for (var c = 0; c < 3; c++)
                {
                    var i = (((y * size) + x) * 3) + c;
                    if (x == 0 || y == 0 || x == size - 1 || y == size - 1)
                    {
                        Assert.Equal(before[i], after[i]);
                    }
                    else
                    {
                        interiorChanged |= before[i] != after[i];
                    }
                }
            }
        }

        Assert.True(interiorChanged);
    }

    [Fact]
    public void Sharpness_FactorZero_IsTheSmoothingFilter()
    {
        // Centre 130 with neighbours 0: (5*130)/13 = 50.
        var bytes = new byte[3 * 3 * 3];
        bytes[12] = bytes[13] = bytes[14] = 130;
        using var image = SyntheticCrops.FromBytes(bytes, 3, 3, MatType.CV_8UC3);

        using var smooth = PilEnhance.Sharpness(image, 0.0);

        Assert.Equal([50, 50, 50], SyntheticCrops.Bytes(smooth)[12..15]);
    }
}
