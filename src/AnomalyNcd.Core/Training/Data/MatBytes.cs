using System.Runtime.InteropServices;
using OpenCvSharp;

namespace AnomalyNcd.Core.Training.Data;

/// <summary>Copies 8-bit Mats to and from row-major (interleaved) byte arrays.</summary>
internal static class MatBytes
{
    public static byte[] Read(Mat mat)
    {
        if (mat.Depth() != MatType.CV_8U)
        {
            throw new ArgumentException($"expected an 8-bit Mat, got {mat.Type()}", nameof(mat));
        }

        using var continuous = mat.IsContinuous() ? null : mat.Clone();
        var source = continuous ?? mat;
        var bytes = new byte[checked(mat.Rows * mat.Cols * mat.Channels())];
        Marshal.Copy(source.Data, bytes, 0, bytes.Length);
        return bytes;
    }

    public static Mat Write(byte[] bytes, int rows, int cols, MatType type)
    {
        var mat = new Mat(rows, cols, type);
        Marshal.Copy(bytes, 0, mat.Data, bytes.Length);
        return mat;
    }
}
