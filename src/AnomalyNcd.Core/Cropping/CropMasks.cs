using AnomalyNcd.Core.Imaging;
using OpenCvSharp;

namespace AnomalyNcd.Core.Cropping;

/// <summary>Brings a binary mask into the form the cropper reads (method-spec §4.3, §5.5, §6.1, bug B1).</summary>
public static class CropMasks
{
    /// <summary>
    /// Checks that the mask is 0/255, resizes it to the image size with OpenCV's floor-based nearest
    /// neighbour when the sizes differ, and, when <see cref="CropOptions.TreatAllForegroundMaskAsEmpty"/>
    /// is on, replaces an all-foreground mask by an empty one as the reference's PNG round trip does.
    /// Returns a new image; the input is not modified.
    /// </summary>
    public static GrayImage PrepareForCropping(GrayImage mask, int imageWidth, int imageHeight, CropOptions? options = null)
    {
        options ??= CropOptions.Parity;
        var allForeground = true;
        foreach (var p in mask.Pixels)
        {
            if (p != 0 && p != 255)
            {
                throw new ArgumentException($"binary mask must hold only 0 and 255, found {p} (threshold soft masks first)", nameof(mask));
            }

            allForeground &= p == 255;
        }

        // nearest-neighbour resizing only repeats source pixels, so an all-foreground source stays all-foreground
        if (options.TreatAllForegroundMaskAsEmpty && allForeground)
        {
            return new GrayImage(imageWidth, imageHeight);
        }

        if (mask.Width == imageWidth && mask.Height == imageHeight)
        {
            return mask.Clone();
        }

        // a downscaled mask may skip every background pixel of its source
        var sized = ResizeNearest(mask, imageWidth, imageHeight);
        if (options.TreatAllForegroundMaskAsEmpty && Array.TrueForAll(sized.Pixels, p => p == 255))
        {
            Array.Clear(sized.Pixels);
        }

        return sized;
    }

    private static GrayImage ResizeNearest(GrayImage mask, int width, int height)
    {
        using var source = mask.ToMat();
        using var resized = new Mat();

        // Explicit arrays, disposed here (implicit ones from the Mats are left to the finalizer thread).
        using (var input = InputArray.Create(source))
        using (var output = OutputArray.Create(resized))
        {
            Cv2.Resize(input, output, new Size(width, height), 0, 0, InterpolationFlags.Nearest);
        }

        return GrayImage.FromMat(resized);
    }
}
