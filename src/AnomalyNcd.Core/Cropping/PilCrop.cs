using AnomalyNcd.Core.Imaging;
using OpenCvSharp;

namespace AnomalyNcd.Core.Cropping;

/// <summary>
/// PIL's Image.crop semantics (method-spec §6.5): the integer box may extend outside the image and the
/// outside part is filled with zeros. Rounding of fractional boxes happens in <see cref="CropBox.ToPixelBox"/>.
/// </summary>
public static class PilCrop
{
    /// <summary>Crops an 8-bit 3-channel image; the result is a new Mat of the box's size.</summary>
    public static Mat CropColor(Mat image, PixelBox box)
    {
        if (image.Empty() || image.Type() != MatType.CV_8UC3)
        {
            throw new ArgumentException($"expected a non-empty 8-bit 3-channel image, got {image.Type()}", nameof(image));
        }

        RequirePositiveSize(box);
        var crop = new Mat(box.Height, box.Width, MatType.CV_8UC3, Scalar.All(0));
        var inside = Intersect(box, image.Width, image.Height);
        if (inside is { } source)
        {
            using var from = new Mat(image, source);
            using var to = new Mat(crop, new Rect(source.X - box.Left, source.Y - box.Up, source.Width, source.Height));
            from.CopyTo(to);
        }

        return crop;
    }

    /// <summary>Crops a single-channel image into a new image of the box's size.</summary>
    public static GrayImage CropGray(GrayImage image, PixelBox box)
    {
        RequirePositiveSize(box);
        var crop = new GrayImage(box.Width, box.Height);
        if (Intersect(box, image.Width, image.Height) is { } source)
        {
            for (var y = source.Y; y < source.Bottom; y++)
            {
                Array.Copy(
                    image.Pixels, (y * image.Width) + source.X,
                    crop.Pixels, ((y - box.Up) * box.Width) + (source.X - box.Left),
                    source.Width);
            }
        }

        return crop;
    }

    /// <summary>The part of the box inside a width × height image, or null when they do not overlap.</summary>
    public static Rect? Intersect(PixelBox box, int width, int height)
    {
        var left = Math.Max(box.Left, 0);
        var up = Math.Max(box.Up, 0);
        var right = Math.Min(box.Right, width);
        var bottom = Math.Min(box.Bottom, height);
        return right > left && bottom > up ? new Rect(left, up, right - left, bottom - up) : null;
    }

    private static void RequirePositiveSize(PixelBox box)
    {
        if (box.Width <= 0 || box.Height <= 0)
        {
            throw new ArgumentException($"crop box {box} has no area", nameof(box));
        }
    }
}
