namespace AnomalyNcd.Core.Imaging;

/// <summary>
/// Ground-truth masks are not always strictly binary (MTD's have soft edges): foreground is a value
/// above <see cref="Threshold"/>, everywhere in the product.
/// </summary>
public static class BinaryMasks
{
    public const byte Threshold = 127;

    /// <summary>Sets every pixel to 255 (above the threshold) or 0, in place; returns the foreground count.</summary>
    public static int ThresholdInPlace(GrayImage mask, byte threshold = Threshold)
    {
        var count = 0;
        var pixels = mask.Pixels;
        for (var i = 0; i < pixels.Length; i++)
        {
            var on = pixels[i] > threshold;
            pixels[i] = on ? (byte)255 : (byte)0;
            count += on ? 1 : 0;
        }

        return count;
    }
}
