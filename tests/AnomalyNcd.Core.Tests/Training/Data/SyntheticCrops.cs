using AnomalyNcd.Core.Imaging;
using OpenCvSharp;

namespace AnomalyNcd.Core.Tests.Training.Data;

/// <summary>Small deterministic images for the transform tests.</summary>
internal static class SyntheticCrops
{
    /// <summary>An RGB image with pseudo-random pixels (fixed seed).</summary>
    public static Mat NoiseRgb(int width, int height, int seed = 7)
    {
        var random = new Random(seed);
        var bytes = new byte[width * height * 3];
        random.NextBytes(bytes);
        return FromBytes(bytes, width, height, MatType.CV_8UC3);
    }

    /// <summary>A 0/255 mask with a filled rectangle.</summary>
    public static GrayImage RectangleMask(int width, int height, int left, int top, int right, int bottom)
    {
        var mask = new GrayImage(width, height);
        for (var y = top; y < bottom; y++)
        {
            for (var x = left; x < right; x++)
            {
                mask[x, y] = 255;
            }
        }

        return mask;
    }

    public static Mat FromBytes(byte[] bytes, int width, int height, MatType type)
    {
        var mat = new Mat(height, width, type);
        System.Runtime.InteropServices.Marshal.Copy(bytes, 0, mat.Data, bytes.Length);
        return mat;
    }

    public static byte[] Bytes(Mat mat)
    {
        var bytes = new byte[mat.Rows * mat.Cols * mat.Channels()];
        using var continuous = mat.Clone();
        System.Runtime.InteropServices.Marshal.Copy(continuous.Data, bytes, 0, bytes.Length);
        return bytes;
    }
}
