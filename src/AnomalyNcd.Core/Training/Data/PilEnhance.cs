using OpenCvSharp;

namespace AnomalyNcd.Core.Training.Data;

/// <summary>
/// PIL ImageEnhance on 8-bit RGB (what torchvision's ColorJitter and RandomAdjustSharpness call):
/// every operation blends the image with a "degenerate" image, out = d + f·(img − d), computed in
/// floating point, clipped to 0..255 and truncated, as PIL's Image.blend does.
/// </summary>
public static class PilEnhance
{
    /// <summary>Degenerate = black, so the result is the image scaled by <paramref name="factor"/>.</summary>
    public static Mat Brightness(Mat rgb, double factor)
    {
        var image = ReadRgb(rgb);
        return Blend(new byte[image.Length], image, factor, rgb);
    }

    /// <summary>Degenerate = a flat image at the rounded mean of the grayscale (L) image.</summary>
    public static Mat Contrast(Mat rgb, double factor)
    {
        var image = ReadRgb(rgb);
        var luma = Luma(image);
        var mean = (byte)Math.Min(255, (int)((luma.Sum(v => (long)v) / (double)luma.Length) + 0.5));
        var degenerate = new byte[image.Length];
        Array.Fill(degenerate, mean);
        return Blend(degenerate, image, factor, rgb);
    }

    /// <summary>Degenerate = the grayscale (L) image replicated to three channels.</summary>
    public static Mat Saturation(Mat rgb, double factor)
    {
        var image = ReadRgb(rgb);
        var luma = Luma(image);
        var degenerate = new byte[image.Length];
        for (var p = 0; p < luma.Length; p++)
        {
            degenerate[3 * p] = degenerate[(3 * p) + 1] = degenerate[(3 * p) + 2] = luma[p];
        }

        return Blend(degenerate, image, factor, rgb);
    }

    /// <summary>
    /// Degenerate = PIL's SMOOTH filter ([[1,1,1],[1,5,1],[1,1,1]]/13, rounded) per channel; PIL leaves the
    /// one-pixel border unfiltered, so border pixels come out unchanged for every factor.
    /// </summary>
    public static Mat Sharpness(Mat rgb, double factor)
    {
        var image = ReadRgb(rgb);
        var degenerate = (byte[])image.Clone();
        int width = rgb.Width, height = rgb.Height;
        for (var y = 1; y < height - 1; y++)
        {
            for (var x = 1; x < width - 1; x++)
            {
                for (var c = 0; c < 3; c++)
                {
                    var sum = 0;
                    for (var dy = -1; dy <= 1; dy++)
                    {
                        for (var dx = -1; dx <= 1; dx++)
                        {
                            sum += image[((((y + dy) * width) + x + dx) * 3) + c];
                        }
                    }

                    sum += 4 * image[((((y * width) + x) * 3) + c)];
                    degenerate[(((y * width) + x) * 3) + c] = (byte)((sum + 6) / 13);
                }
            }
        }

        return Blend(degenerate, image, factor, rgb);
    }

    /// <summary>PIL's RGB → L conversion: (19595·R + 38470·G + 7471·B + 2^15) >> 16.</summary>
    public static byte[] Luma(byte[] rgb)
    {
        var luma = new byte[rgb.Length / 3];
        for (var p = 0; p < luma.Length; p++)
        {
            luma[p] = (byte)(((rgb[3 * p] * 19595) + (rgb[(3 * p) + 1] * 38470) + (rgb[(3 * p) + 2] * 7471) + 0x8000) >> 16);
        }

        return luma;
    }

    private static byte[] ReadRgb(Mat rgb)
    {
        if (rgb.Type() != MatType.CV_8UC3)
        {
            throw new ArgumentException($"expected an 8-bit 3-channel RGB Mat, got {rgb.Type()}", nameof(rgb));
        }

        return MatBytes.Read(rgb);
    }

    private static Mat Blend(byte[] degenerate, byte[] image, double factor, Mat like)
    {
        var alpha = factor;
        var output = new byte[image.Length];
        for (var i = 0; i < image.Length; i++)
        {
            var value = degenerate[i] + (alpha * (image[i] - degenerate[i]));
            output[i] = value <= 0 ? (byte)0 : value >= 255 ? (byte)255 : (byte)value;
        }

        return MatBytes.Write(output, like.Rows, like.Cols, like.Type());
    }
}
