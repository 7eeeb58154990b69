using AnomalyNcd.Core.Imaging;
using AnomalyNcd.Core.Training.Data;
using OpenCvSharp;

namespace AnomalyNcd.Core.Tests.Training.Data;

public class CropTransformsTests
{
    private const int Side = CropTransforms.OutputSide;

    [Theory]
    [InlineData(300, 200, 384, 256)]
    [InlineData(200, 300, 256, 384)]
    [InlineData(100, 100, 256, 256)]
    [InlineData(1000, 333, 768, 256)]
    public void TargetSize_ShorterSideBecomes256_LongerSideTruncated(int width, int height, int expectedWidth, int expectedHeight)
    {
        Assert.Equal(new Size(expectedWidth, expectedHeight), ShorterSideResize.TargetSize(width, height));
    }

    [Fact]
    public void Resize_300x200_Gives384x256()
    {
        using var image = SyntheticCrops.NoiseRgb(300, 200);

        using var resized = ShorterSideResize.Resize(image);

        Assert.Equal(new Size(384, 256), resized.Size());
    }

    [Fact]
    public void Test_At256_KnownPixelMovesByCentreOffset()
    {
        using var image = new Mat(256, 256, MatType.CV_8UC3, Scalar.All(0));
        image.Set(50, 100, new Vec3b(200, 10, 20));

        var view = CropTransforms.Test(image, new GrayImage(256, 256));

        var at = Pixel(view, 100 - 16, 50 - 16);
        Assert.Equal((200, 10, 20), at);
        Assert.Equal(200, view.Rgb.Where((_, i) => i % 3 == 0).Sum(v => v));
    }

    [Fact]
    public void Test_DownscaleByTwo_AveragesBlockThenCropsCentre()
    {
        // A 2x2 block at (200,100) of a 512x512 image becomes pixel (100,50), then (84,34) after the centre crop.
        using var image = new Mat(512, 512, MatType.CV_8UC3, Scalar.All(0));
        var mask = new GrayImage(512, 512);
        foreach (var (x, y) in new[] { (200, 100), (201, 100), (200, 101), (201, 101) })
        {
            image.Set(y, x, new Vec3b(255, 255, 255));
            mask[x, y] = 255;
        }

        var view = CropTransforms.Test(image, mask);

        Assert.Equal((255, 255, 255), Pixel(view, 84, 34));
        Assert.Equal(255, view.Mask[(34 * Side) + 84]);
        Assert.Equal(1, view.Mask.Count(v => v != 0));
    }

    [Fact]
    public void Test_300x200_CentredSquareStaysCentred_MaskInUnitRangeWithSoftEdges()
    {
        // Centre of the 300x200 crop; after resize (384x256) and centre crop it must land at the output centre.
        using var image = new Mat(200, 300, MatType.CV_8UC3, Scalar.All(0));
        Cv2.Rectangle(image, new Rect(140, 90, 20, 20), Scalar.All(255), -1);
        var mask = SyntheticCrops.RectangleMask(300, 200, 140, 90, 160, 110);

        var tensors = CropTransforms.Test(image, mask).ToTensors();

        Assert.Equal(3 * Side * Side, tensors.Image.Length);
        Assert.Equal(Side * Side, tensors.Mask.Length);
        Assert.All(tensors.Mask, v => Assert.InRange(v, 0f, 1f));
        Assert.Contains(tensors.Mask, v => v is > 0f and < 1f);
        var (cx, cy) = Centroid(tensors.Mask);
        Assert.InRange(cx, (Side / 2.0) - 1.0, (Side / 2.0) + 1.0);
        Assert.InRange(cy, (Side / 2.0) - 1.0, (Side / 2.0) + 1.0);
        var expectedArea = 20 * 20 * (256.0 / 200) * (384.0 / 300);
        Assert.InRange(tensors.Mask.Sum(), expectedArea * 0.95, expectedArea * 1.05);
    }

    [Fact]
    public void ToTensors_AppliesImageNetNormalisationInChwOrder()
    {
        var rgb = new byte[3 * Side * Side];
        for (var p = 0; p < Side * Side; p++)
        {
            rgb[3 * p] = 255;
            rgb[(3 * p) + 1] = 0;
            rgb[(3 * p) + 2] = 128;
        }

        var mask = new byte[Side * Side];
        mask[5] = 255;
        mask[6] = 51;

        var tensors = new AugmentedView(rgb, mask).ToTensors();

        Assert.Equal((1f - 0.485f) / 0.229f, tensors.Image[0], 5);
        Assert.Equal((0f - 0.456f) / 0.224f, tensors.Image[Side * Side], 5);
        Assert.Equal((128f / 255f - 0.406f) / 0.225f, tensors.Image[(2 * Side * Side) + 17], 5);
        Assert.Equal(1f, tensors.Mask[5]);
        Assert.Equal(0.2f, tensors.Mask[6], 5);
        Assert.Equal(0f, tensors.Mask[7]);
    }

    [Fact]
    public void ImageNetNormalization_HasTheTorchvisionConstants()
    {
        Assert.Equal([0.485f, 0.456f, 0.406f], ImageNetNormalization.Mean);
        Assert.Equal([0.229f, 0.224f, 0.225f], ImageNetNormalization.Std);
    }

    [Theory]
    [InlineData(256, 16)]
    [InlineData(384, 80)]
    [InlineData(385, 80)]
    [InlineData(387, 82)]
    public void CentreOffset_RoundsHalfToEven(int size, int expected)
    {
        Assert.Equal(expected, CropTransforms.CentreOffset(size));
    }

    [Fact]
    public void Train_Identity_IsTheTopLeftWindowOfTheResizedImage()
    {
        using var image = SyntheticCrops.NoiseRgb(256, 300);

        var view = CropTransforms.Train(image, new GrayImage(256, 300), TrainAugmentation.Identity with { CropLeft = 5, CropTop = 31 });

        using var expected = CropAugmentations.CropWindow(image, 5, 31, Side);
        Assert.Equal(SyntheticCrops.Bytes(expected), view.Rgb);
    }

    [Fact]
    public void Train_MaskFollowsFlipsAndRotation()
    {
        using var image = SyntheticCrops.NoiseRgb(256, 256);
        var mask = SyntheticCrops.RectangleMask(256, 256, 10, 20, 60, 40);
        var augmentation = TrainAugmentation.Identity with { CropLeft = 3, CropTop = 7, FlipHorizontal = true, FlipVertical = true, QuarterTurns = 1 };

        var view = CropTransforms.Train(image, mask, augmentation);

        using var maskMat = mask.ToMat();
        using var cropped = CropAugmentations.CropWindow(maskMat, 3, 7, Side);
        using var flippedH = CropAugmentations.FlipHorizontal(cropped);
        using var flippedV = CropAugmentations.FlipVertical(flippedH);
        using var rotated = CropAugmentations.RotateCounterClockwise(flippedV, 1);
        Assert.Equal(SyntheticCrops.Bytes(rotated), view.Mask);

        using var imageCrop = CropAugmentations.CropWindow(image, 3, 7, Side);
        using var imageH = CropAugmentations.FlipHorizontal(imageCrop);
        using var imageV = CropAugmentations.FlipVertical(imageH);
        using var imageRotated = CropAugmentations.RotateCounterClockwise(imageV, 1);
        Assert.Equal(SyntheticCrops.Bytes(imageRotated), view.Rgb);
    }

    [Fact]
    public void Train_PhotometricStepsNeverTouchTheMask()
    {
        using var image = SyntheticCrops.NoiseRgb(300, 280);
        var mask = SyntheticCrops.RectangleMask(300, 280, 50, 60, 200, 100);
        var strong = TrainAugmentation.Identity with
        {
            Brightness = 1.4,
            Contrast = 0.6,
            Saturation = 1.8,
            JitterOrder = [ColorJitterStep.Saturation, ColorJitterStep.Brightness, ColorJitterStep.Contrast],
            Sharpness = 2.0,
            BlurKernel = 33,
            BlurSigma = 2.0,
            PosterizeBits = 5,
        };

        var plain = CropTransforms.Train(image, mask, TrainAugmentation.Identity);
        var changed = CropTransforms.Train(image, mask, strong);

        Assert.Equal(plain.Mask, changed.Mask);
        Assert.NotEqual(plain.Rgb, changed.Rgb);
        Assert.All(changed.Rgb, v => Assert.Equal(0, v & 0b111));
    }

    [Fact]
    public void Draw_StaysInsideTheDocumentedRanges()
    {
        var random = new Random(42);
        var draws = Enumerable.Range(0, 4000).Select(_ => TrainAugmentation.Draw(random)).ToList();

        Assert.All(draws, d =>
        {
            Assert.InRange(d.CropLeft, 0, 31);
            Assert.InRange(d.CropTop, 0, 31);
            Assert.InRange(d.Brightness, 0.6, 1.4);
            Assert.InRange(d.Contrast, 0.6, 1.4);
            Assert.InRange(d.Saturation, 0.6, 1.8);
            Assert.InRange(d.Sharpness, 0.2, 2.0);
            Assert.InRange(d.BlurSigma, 0.1, 2.0);
            Assert.Contains(d.BlurKernel, TrainAugmentation.BlurKernels);
            Assert.InRange(d.PosterizeBits, 5, 8);
            Assert.Equal(3, d.JitterOrder.Distinct().Count());
        });
        Assert.Equal(32, draws.Select(d => d.CropLeft).Distinct().Count());
        Assert.Equal(4, draws.Select(d => d.PosterizeBits).Distinct().Count());
        Assert.Equal(6, draws.Select(d => string.Join(",", d.JitterOrder)).Distinct().Count());
        foreach (var turns in new[] { 0, 1, 2, 3 })
        {
            Assert.InRange(draws.Count(d => d.QuarterTurns == turns), 850, 1150);
        }

        Assert.InRange(draws.Count(d => d.FlipHorizontal), 1800, 2200);
        Assert.InRange(draws.Count(d => d.FlipVertical), 1800, 2200);
    }

    [Fact]
    public void Train_SameSeedSameView()
    {
        using var image = SyntheticCrops.NoiseRgb(280, 260);
        var mask = SyntheticCrops.RectangleMask(280, 260, 30, 30, 90, 120);

        var first = CropTransforms.Train(image, mask, new Random(9));
        var second = CropTransforms.Train(image, mask, new Random(9));

        Assert.Equal(first.Rgb, second.Rgb);
        Assert.Equal(first.Mask, second.Mask);
    }

    private static (int R, int G, int B) Pixel(AugmentedView view, int x, int y)
    {
        var i = 3 * ((y * Side) + x);
        return (view.Rgb[i], view.Rgb[i + 1], view.Rgb[i + 2]);
    }

    private static (double X, double Y) Centroid(float[] mask)
    {
        double sum = 0, sx = 0, sy = 0;
        for (var y = 0; y < Side; y++)
        {
            for (var x = 0; x < Side; x++)
            {
                var v = mask[(y * Side) + x];
                sum += v;
                sx += v * (x + 0.5);
                sy += v * (y + 0.5);
            }
        }

        return (sx / sum, sy / sum);
    }
}
