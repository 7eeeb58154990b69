using OpenCvSharp;

namespace AnomalyNcd.Core.Synthetic;

/// <summary>
/// Float planes (row-major) and the few OpenCV operations the factory needs on them. Managed arrays
/// keep per-pixel compositing simple; OpenCV blurs and resizes them in place through pinned memory.
/// </summary>
internal static class Planes
{
    public static float[] FromMat(Mat mat)
    {
        if (mat.Type() != MatType.CV_8UC1 || !mat.IsContinuous())
        {
            throw new ArgumentException($"expected a continuous 8-bit single-channel Mat, got {mat.Type()}", nameof(mat));
        }

        var bytes = new byte[mat.Rows * mat.Cols];
        System.Runtime.InteropServices.Marshal.Copy(mat.Data, bytes, 0, bytes.Length);
        var plane = new float[bytes.Length];
        for (var i = 0; i < bytes.Length; i++)
        {
            plane[i] = bytes[i];
        }

        return plane;
    }

    /// <summary>Anisotropic Gaussian blur of a square plane; sigmas below about 0.3 leave that axis alone.</summary>
    public static float[] Blur(float[] plane, int size, double sigmaX, double sigmaY) => Blur(plane, size, size, sigmaX, sigmaY);

    public static unsafe float[] Blur(float[] plane, int width, int height, double sigmaX, double sigmaY)
    {
        var result = new float[plane.Length];
        fixed (float* source = plane, target = result)
        {
            using var sourceMat = Mat.FromPixelData(height, width, MatType.CV_32FC1, (IntPtr)source);
            using var targetMat = Mat.FromPixelData(height, width, MatType.CV_32FC1, (IntPtr)target);
            var kernel = new Size(KernelSize(sigmaX, width), KernelSize(sigmaY, height));
            Cv2.GaussianBlur(sourceMat, targetMat, kernel, Math.Max(sigmaX, 0.01), Math.Max(sigmaY, 0.01), BorderTypes.Reflect101);
        }

        return result;
    }

    /// <summary>Grey-level dilation (moving maximum) with a square window of side <paramref name="window"/>.</summary>
    public static unsafe float[] MaxFilter(float[] plane, int size, int window)
    {
        var result = new float[plane.Length];
        fixed (float* source = plane, target = result)
        {
            using var sourceMat = Mat.FromPixelData(size, size, MatType.CV_32FC1, (IntPtr)source);
            using var targetMat = Mat.FromPixelData(size, size, MatType.CV_32FC1, (IntPtr)target);
            using var kernel = Mat.Ones(window, window, MatType.CV_8UC1);
            Cv2.Dilate(sourceMat, targetMat, kernel);
        }

        return result;
    }

    /// <summary>Approximately standard normal samples (see <see cref="FastRandom.NextGaussian"/>).</summary>
    public static float[] Gaussian(Random random, int count)
    {
        var generator = new FastRandom((ulong)random.NextInt64());
        var plane = new float[count];
        for (var i = 0; i < count; i++)
        {
            plane[i] = generator.NextGaussian();
        }

        return plane;
    }

    /// <summary>
    /// Smooth random field with zero mean and unit standard deviation. Wide blurs are done on a
    /// coarse grid (about a third of the sigma per cell) and upsampled, which looks the same and
    /// costs a fraction.
    /// </summary>
    public static unsafe float[] SmoothNoise(Random random, int size, double sigmaX, double sigmaY)
    {
        var stepX = Math.Max(1, (int)(sigmaX / 3));
        var stepY = Math.Max(1, (int)(sigmaY / 3));
        var coarseWidth = (size / stepX) + 2;
        var coarseHeight = (size / stepY) + 2;
        var coarse = Blur(Gaussian(random, coarseWidth * coarseHeight), coarseWidth, coarseHeight, sigmaX / stepX, sigmaY / stepY);
        float[] field;
        if (stepX == 1 && stepY == 1)
        {
            field = new float[size * size];
            for (var y = 0; y < size; y++)
            {
                Array.Copy(coarse, y * coarseWidth, field, y * size, size);
            }
        }
        else
        {
            var fineWidth = coarseWidth * stepX;
            var fineHeight = coarseHeight * stepY;
            var fine = new float[fineWidth * fineHeight];
            fixed (float* source = coarse, target = fine)
            {
                using var sourceMat = Mat.FromPixelData(coarseHeight, coarseWidth, MatType.CV_32FC1, (IntPtr)source);
                using var targetMat = Mat.FromPixelData(fineHeight, fineWidth, MatType.CV_32FC1, (IntPtr)target);
                Cv2.Resize(sourceMat, targetMat, new Size(fineWidth, fineHeight), 0, 0, InterpolationFlags.Linear);
            }

            field = new float[size * size];
            for (var y = 0; y < size; y++)
            {
                Array.Copy(fine, y * fineWidth, field, y * size, size);
            }
        }

        Standardize(field);
        return field;
    }

    public static void Standardize(float[] plane)
    {
        double sum = 0, sumSquares = 0;
        foreach (var v in plane)
        {
            sum += v;
            sumSquares += (double)v * v;
        }

        var mean = sum / plane.Length;
        var std = Math.Sqrt(Math.Max((sumSquares / plane.Length) - (mean * mean), 1e-12));
        for (var i = 0; i < plane.Length; i++)
        {
            plane[i] = (float)((plane[i] - mean) / std);
        }
    }

    public static float Min(float[] plane)
    {
        var min = float.MaxValue;
        foreach (var v in plane)
        {
            min = Math.Min(min, v);
        }

        return min;
    }

    public static float Max(float[] plane)
    {
        var max = float.MinValue;
        foreach (var v in plane)
        {
            max = Math.Max(max, v);
        }

        return max;
    }

    private static int KernelSize(double sigma, int length)
    {
        if (sigma < 0.3)
        {
            return 1;
        }

        // Three sigmas each side, odd, and never wider than the plane so reflection stays defined.
        var half = (int)Math.Ceiling(3 * sigma);
        var kernel = (2 * half) + 1;
        return Math.Min(kernel, length % 2 == 1 ? length : length - 1);
    }
}
