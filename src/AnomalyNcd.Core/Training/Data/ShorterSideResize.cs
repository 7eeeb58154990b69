using OpenCvSharp;

namespace AnomalyNcd.Core.Training.Data;

/// <summary>
/// torchvision's <c>Resize(int)</c> on PIL images (method-spec §7.3): the shorter side becomes the target,
/// the longer side int(target·long/short). Upscaling uses bilinear interpolation (what PIL does); for
/// downscaling PIL's bilinear filter widens its support (it is antialiased), which OpenCV's INTER_LINEAR
/// is not, so INTER_AREA (an antialiased box filter) stands in for it. 8-bit in, 8-bit out, as PIL.
/// </summary>
public static class ShorterSideResize
{
    public static Size TargetSize(int width, int height, int shorterSide = CropTransforms.ResizeSide)
    {
        if (width <= height)
        {
            return new Size(shorterSide, (int)((double)shorterSide * height / width));
        }

        return new Size((int)((double)shorterSide * width / height), shorterSide);
    }

    /// <summary>Resizes an 8-bit image (any channel count); a copy when the shorter side already fits.</summary>
    public static Mat Resize(Mat image, int shorterSide = CropTransforms.ResizeSide)
    {
        var shorter = Math.Min(image.Width, image.Height);
        if (shorter == shorterSide)
        {
            return image.Clone();
        }

        var target = TargetSize(image.Width, image.Height, shorterSide);
        var interpolation = shorter > shorterSide ? InterpolationFlags.Area : InterpolationFlags.Linear;
        var resized = new Mat();
        Cv2.Resize(image, resized, target, 0, 0, interpolation);
        return resized;
    }
}
