using AnomalyNcd.Core.Cropping;
using AnomalyNcd.Core.Imaging;
using OpenCvSharp;

namespace AnomalyNcd.Core.Tests.Cropping;

public class PilCropTests
{
    [Theory]
    [InlineData(-10.5, -10)]
    [InlineData(29.5, 30)]
    [InlineData(0.5, 0)]
    [InlineData(1.5, 2)]
    [InlineData(2.5, 2)]
    [InlineData(-0.5, 0)]
    [InlineData(-1.5, -2)]
    [InlineData(2.4999, 2)]
    [InlineData(7.0, 7)]
    public void RoundHalfToEven_MatchesPythonRound(double value, int expected)
    {
        Assert.Equal(expected, PilRounding.RoundHalfToEven(value));
    }

    [Fact]
    public void ToPixelBox_HalfPixelBox_RoundsEachCoordinateHalfToEven()
    {
        var box = new CropBox(-10.5, 29.5, 20.5, 40.5).ToPixelBox();

        Assert.Equal(new PixelBox(-10, 30, 20, 40), box);
    }

    [Fact]
    public void CropGray_BoxLeavingImage_ZeroPadsOutside()
    {
        var image = new GrayImage(3, 2, [1, 2, 3, 4, 5, 6]);

        var crop = PilCrop.CropGray(image, new PixelBox(-1, 1, 2, 3));

        Assert.Equal(3, crop.Width);
        Assert.Equal(2, crop.Height);
        Assert.Equal(new byte[] { 0, 4, 5, 0, 0, 0 }, crop.Pixels);
    }

    [Fact]
    public void CropColor_BoxLeavingImage_CopiesInsideAndZeroPadsOutside()
    {
        using var image = new Mat(4, 4, MatType.CV_8UC3, new Scalar(10, 20, 30));

        using var crop = PilCrop.CropColor(image, new PixelBox(2, -1, 6, 3));

        Assert.Equal(new Size(4, 4), crop.Size());
        Assert.Equal(new Vec3b(10, 20, 30), crop.At<Vec3b>(1, 0));
        Assert.Equal(new Vec3b(0, 0, 0), crop.At<Vec3b>(0, 0)); // row above the image
        Assert.Equal(new Vec3b(0, 0, 0), crop.At<Vec3b>(1, 2)); // column right of the image
        var sum = Cv2.Sum(crop);
        Assert.Equal(6 * 60.0, sum.Val0 + sum.Val1 + sum.Val2); // columns 2–3 × rows 0–2 of the image
    }

    [Fact]
    public void CropGray_EmptyBox_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => PilCrop.CropGray(new GrayImage(4, 4), new PixelBox(2, 2, 2, 3)));
    }
}
