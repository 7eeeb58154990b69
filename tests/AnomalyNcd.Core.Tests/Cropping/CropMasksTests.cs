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
}
