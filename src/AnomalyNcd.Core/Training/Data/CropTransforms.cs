using AnomalyNcd.Core.Imaging;
using OpenCvSharp;

namespace AnomalyNcd.Core.Training.Data;

/// <summary>
/// The reference's test and train transforms of a crop and its mask (method-spec §7.3–7.4). All steps
/// run on 8-bit images as PIL does; the mask follows the geometric steps only.
/// </summary>
public static class CropTransforms
{
    public const int ResizeSide = 256;

    public const int OutputSide = 224;

    /// <summary>
    /// Test transform: shorter side to 256 (<see cref="ShorterSideResize"/>), then the centre 224 window at
    /// offset round((s − 224) / 2) per axis (half to even, as torchvision's CenterCrop; 16 on the short side).
    /// </summary>
    public static AugmentedView Test(Mat rgb, GrayImage mask)
    {
        using var maskMat = mask.ToMat();
        using var image = ShorterSideResize.Resize(rgb);
        using var maskResized = ShorterSideResize.Resize(maskMat);
        var left = CentreOffset(image.Width);
        var top = CentreOffset(image.Height);
        using var imageCrop = CropAugmentations.CropWindow(image, left, top, OutputSide);
        using var maskCrop = CropAugmentations.CropWindow(maskResized, left, top, OutputSide);
        return AugmentedView.FromMats(imageCrop, maskCrop);
    }

    /// <summary>Train transform with choices drawn from <paramref name="random"/>.</summary>
    public static AugmentedView Train(Mat rgb, GrayImage mask, Random random) => Train(rgb, mask, TrainAugmentation.Draw(random));

    /// <summary>
    /// Train transform in the reference's order: resize 256*, crop 224*, h-flip*, v-flip*, colour jitter,
    /// rotation*, sharpness, Gaussian blur, posterize (* = the mask follows).
    /// </summary>
    public static AugmentedView Train(Mat rgb, GrayImage mask, TrainAugmentation augmentation)
    {
        var image = ShorterSideResize.Resize(rgb);
        using var maskMat = mask.ToMat();
        var maskImage = ShorterSideResize.Resize(maskMat);
        try
        {
            Both(ref image, ref maskImage, m => CropAugmentations.CropWindow(m, augmentation.CropLeft, augmentation.CropTop, OutputSide));
            if (augmentation.FlipHorizontal)
            {
                Both(ref image, ref maskImage, CropAugmentations.FlipHorizontal);
            }

            if (augmentation.FlipVertical)
            {
                Both(ref image, ref maskImage, CropAugmentations.FlipVertical);
            }

            foreach (var step in augmentation.JitterOrder)
            {
                Replace(ref image, step switch
                {
                    ColorJitterStep.Brightness => PilEnhance.Brightness(image, augmentation.Brightness),
                    ColorJitterStep.Contrast => PilEnhance.Contrast(image, augmentation.Contrast),
                    _ => PilEnhance.Saturation(image, augmentation.Saturation),
                });
            }

            Both(ref image, ref maskImage, m => CropAugmentations.RotateCounterClockwise(m, augmentation.QuarterTurns));
            Replace(ref image, PilEnhance.Sharpness(image, augmentation.Sharpness));
            Replace(ref image, CropAugmentations.GaussianBlur(image, augmentation.BlurKernel, augmentation.BlurSigma));
            Replace(ref image, CropAugmentations.Posterize(image, augmentation.PosterizeBits));
            return AugmentedView.FromMats(image, maskImage);
        }
        finally
        {
            image.Dispose();
            maskImage.Dispose();
        }
    }

    internal static int CentreOffset(int size) => (int)Math.Round((size - OutputSide) / 2.0, MidpointRounding.ToEven);

    private static void Both(ref Mat image, ref Mat mask, Func<Mat, Mat> step)
    {
        Replace(ref image, step(image));
        Replace(ref mask, step(mask));
    }

    private static void Replace(ref Mat current, Mat next)
    {
        current.Dispose();
        current = next;
    }
}
