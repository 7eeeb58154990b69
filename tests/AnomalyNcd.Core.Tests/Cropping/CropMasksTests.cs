using AnomalyNcd.Core.Cropping;
using AnomalyNcd.Core.Imaging;

namespace AnomalyNcd.Core.Tests.Cropping;

public class CropMasksTests
{
    [Fact]
    public void PrepareForCropping_SmallerMask_ResizedWithFloorNearest()
    {
        var mask = new GrayImage(2, 1, [255, 0]);

        var prepared = CropMasks.PrepareForCropping(mask, 5, 2);

        // Source column = floor(x · 2 / 5): columns 0–2 → 0, 3–4 → 1.
        Assert.Equal(new byte[] { 255, 255, 255, 0, 0, 255, 255, 255, 0, 0 }, prepared.Pixels);
    }

    [Fact]
    public void PrepareForCropping_AllForegroundParity_BecomesEmpty()
    {
        var mask = new GrayImage(4, 4, Enumerable.Repeat((byte)255, 16).ToArray());

        var parity = CropMasks.PrepareForCropping(mask, 4, 4, CropOptions.Parity);
        var inMemory = CropMasks.PrepareForCropping(mask, 4, 4, CropOptions.Improved);

        Assert.Equal(0, parity.CountNonZero());
        Assert.Equal(16, inMemory.CountNonZero());
        Assert.Equal(16, mask.CountNonZero());
    }

    [Fact]
    public void PrepareForCropping_NonBinaryMask_IsRefused()
    {
        var mask = new GrayImage(2, 1, [0, 128]);

        var error = Assert.Throws<ArgumentException>(() => CropMasks.PrepareForCropping(mask, 2, 1));
        Assert.Contains("128", error.Message);
    }

    [Fact]
    public void PrepareForCropping_DownscaleSkipsEveryBackgroundPixel_ParityEmptiesIt()
    {
        // Source columns floor(x · 4 / 2) = 0, 2: the background columns 1 and 3 are never read, so the
        // resized mask is all foreground and parity empties it, as the reference's round trip does.
        var mask = new GrayImage(4, 1, [255, 0, 255, 0]);

        var parity = CropMasks.PrepareForCropping(mask, 2, 1, CropOptions.Parity);
        var inMemory = CropMasks.PrepareForCropping(mask, 2, 1, CropOptions.Improved);

        Assert.Equal(new byte[] { 0, 0 }, parity.Pixels);
        Assert.Equal(new byte[] { 255, 255 }, inMemory.Pixels);
    }

    [Fact]
    public void PrepareForCropping_AllForegroundUpscaled_ParityEmptyAtImageSize()
    {
        var mask = new GrayImage(2, 2, [255, 255, 255, 255]);

        var parity = CropMasks.PrepareForCropping(mask, 5, 3, CropOptions.Parity);

        Assert.Equal((5, 3), (parity.Width, parity.Height));
        Assert.Equal(0, parity.CountNonZero());
    }
}
