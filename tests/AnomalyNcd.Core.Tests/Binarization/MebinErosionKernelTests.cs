using AnomalyNcd.Core.Binarization;
using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Imaging;

namespace AnomalyNcd.Core.Tests.Binarization;

/// <summary>The erosion kernel as an option (<c>discover --erode-kernel</c>): thin defects and the rule for the value.</summary>
public class MebinErosionKernelTests
{
    /// <summary>A dark 64² map with a bright 16×16 blob and a bright scratch two pixels wide.</summary>
    private static GrayImage BlobAndScratch()
    {
        var map = new GrayImage(64, 64);
        for (var y = 8; y < 24; y++)
        {
            for (var x = 8; x < 24; x++)
            {
                map[y, x] = 240;
            }
        }

        for (var x = 30; x < 60; x++)
        {
            map[45, x] = 220;
            map[46, x] = 220;
        }

        return map;
    }

    private static bool ScratchKept(GrayImage mask) => Enumerable.Range(30, 30).Any(x => mask[45, x] == 255 || mask[46, x] == 255);

    [Fact]
    public void Binarize_ReferenceKernel_ErodesATwoPixelScratchAway()
    {
        var result = MebinFast.Binarize(BlobAndScratch(), new MebinRange(0, 255));

        Assert.False(ScratchKept(result.Mask));
        Assert.Equal(255, result.Mask[16, 16]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Binarize_SmallKernel_KeepsTheScratchAndTheBlob(int kernel)
    {
        var options = MebinOptions.Default with { ErodeKernelSize = kernel };

        var fast = MebinFast.Binarize(BlobAndScratch(), new MebinRange(0, 255), options);
        var reference = MebinReference.Binarize(BlobAndScratch(), new MebinRange(0, 255), options);

        Assert.True(ScratchKept(fast.Mask));
        Assert.Equal(255, fast.Mask[16, 16]);
        Assert.Equal(reference.Mask.Pixels, fast.Mask.Pixels);
        Assert.Equal(reference.Threshold, fast.Threshold);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    [InlineData(MebinOptions.MaxErodeKernelSize + 1)]
    public void ValidateErodeKernelSize_OutOfRange_NamesTheOption(int value)
    {
        var error = Assert.Throws<InvalidInputException>(() => MebinOptions.ValidateErodeKernelSize(value));

        Assert.Equal("--erode-kernel", error.InputPath);
        Assert.Contains(value.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Problem);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(6)]
    [InlineData(MebinOptions.MaxErodeKernelSize)]
    public void ValidateErodeKernelSize_InRange_Accepts(int value) => MebinOptions.ValidateErodeKernelSize(value);
}
