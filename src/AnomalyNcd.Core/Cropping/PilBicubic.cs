namespace AnomalyNcd.Core.Cropping;

/// <summary>
/// Bicubic resampling of a float32 image as Pillow's Image.resize(BICUBIC) does for mode "F" (method-spec
/// §6.6, §14.4): separable, horizontal pass first, Keys kernel with a = −0.5, sample positions at pixel
/// centres ((i + 0.5) · scale), kernel support widened by the scale when downscaling (antialiasing), weights
/// renormalised to sum 1 where the image edge cuts the kernel off, sums in double, rows stored as float32
/// between passes.
/// </summary>
public static class PilBicubic
{
    private const double KernelA = -0.5;
    private const double KernelSupport = 2.0;

    /// <summary>The Keys cubic convolution kernel with a = −0.5.</summary>
    public static double Kernel(double x)
    {
        x = Math.Abs(x);
        if (x < 1.0)
        {
            return ((((KernelA + 2.0) * x) - (KernelA + 3.0)) * x * x) + 1.0;
        }

        if (x < 2.0)
        {
            return ((((x - 5.0) * x) + 8.0) * x - 4.0) * KernelA;
        }

        return 0.0;
    }

    /// <summary>Resizes a row-major width × height float image; returns the input itself when the size is unchanged.</summary>
    public static float[] Resize(float[] pixels, int width, int height, int newWidth, int newHeight)
    {
        if (width <= 0 || height <= 0 || newWidth <= 0 || newHeight <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"sizes must be positive: {width}x{height} → {newWidth}x{newHeight}");
        }

        if (pixels.Length != width * height)
        {
            throw new ArgumentException($"expected {width * height} pixels for {width}x{height}, got {pixels.Length}", nameof(pixels));
        }

        var current = pixels;
        if (newWidth != width)
        {
            current = ResampleRows(current, width, height, newWidth);
        }

        if (newHeight != height)
        {
            current = ResampleColumns(current, newWidth, height, newHeight);
        }

        return current;
    }

    /// <summary>One output sample's input window: first input index and the normalised weights.</summary>
    internal readonly record struct Taps(int First, double[] Weights);

    /// <summary>The per-output-index input windows for resizing a line of inSize samples to outSize samples.</summary>
    internal static Taps[] ComputeTaps(int inSize, int outSize)
    {
        var scale = (double)inSize / outSize;
        var filterScale = Math.Max(scale, 1.0);
        var support = KernelSupport * filterScale;

        // Pillow multiplies by the reciprocal rather than dividing; kept for bit-level agreement.
        var inverseFilterScale = 1.0 / filterScale;
        var taps = new Taps[outSize];
        for (var i = 0; i < outSize; i++)
        {
            var center = (i + 0.5) * scale;

            // C-style (int) casts truncate toward zero; negative starts clamp to 0 either way.
            var first = Math.Max((int)(center - support + 0.5), 0);
            var end = Math.Min((int)(center + support + 0.5), inSize);
            var weights = new double[Math.Max(end - first, 0)];
            var total = 0.0;
            for (var k = 0; k < weights.Length; k++)
            {
                weights[k] = Kernel((first + k - center + 0.5) * inverseFilterScale);
                total += weights[k];
            }

            if (total != 0.0)
            {
                for (var k = 0; k < weights.Length; k++)
                {
                    weights[k] /= total;
                }
            }

            taps[i] = new Taps(first, weights);
        }

        return taps;
    }

    private static float[] ResampleRows(float[] source, int width, int height, int newWidth)
    {
        var taps = ComputeTaps(width, newWidth);
        var result = new float[newWidth * height];
        for (var y = 0; y < height; y++)
        {
            var row = y * width;
            for (var x = 0; x < newWidth; x++)
            {
                var (first, weights) = taps[x];
                var sum = 0.0;
                for (var k = 0; k < weights.Length; k++)
                {
                    sum += source[row + first + k] * weights[k];
                }

                result[(y * newWidth) + x] = (float)sum;
            }
        }

        return result;
    }

    private static float[] ResampleColumns(float[] source, int width, int height, int newHeight)
    {
        var taps = ComputeTaps(height, newHeight);
        var result = new float[width * newHeight];
        for (var y = 0; y < newHeight; y++)
        {
            var (first, weights) = taps[y];
            for (var x = 0; x < width; x++)
            {
                var sum = 0.0;
                for (var k = 0; k < weights.Length; k++)
                {
                    sum += source[((first + k) * width) + x] * weights[k];
                }

                result[(y * width) + x] = (float)sum;
            }
        }

        return result;
    }
}
