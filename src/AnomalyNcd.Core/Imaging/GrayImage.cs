using OpenCvSharp;

namespace AnomalyNcd.Core.Imaging;

/// <summary>
/// An 8-bit single-channel image (anomaly map or mask) held as a row-major byte array.
/// Algorithms work on the array directly; OpenCV is used only at the edges (I/O, reference paths).
/// </summary>
public sealed class GrayImage
{
    public GrayImage(int width, int height, byte[]? pixels = null)
    {
        if (width <= 0 || height <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"image size must be positive, got {width}x{height}");
        }

        pixels ??= new byte[checked(width * height)];
        if (pixels.Length != width * height)
        {
            throw new ArgumentException($"expected {width * height} pixels for {width}x{height}, got {pixels.Length}", nameof(pixels));
        }

        Width = width;
        Height = height;
        Pixels = pixels;
    }

    public int Width { get; }

    public int Height { get; }

    public byte[] Pixels { get; }

    public byte this[int x, int y]
    {
        get => Pixels[(y * Width) + x];
        set => Pixels[(y * Width) + x] = value;
    }

    public byte Max()
    {
        byte max = 0;
        foreach (var p in Pixels)
        {
            if (p > max)
            {
                max = p;
            }
        }

        return max;
    }

    public int CountNonZero() => Pixels.Count(p => p != 0);

    public GrayImage Clone() => new(Width, Height, (byte[])Pixels.Clone());

    public static GrayImage FromMat(Mat mat)
    {
        if (mat.Type() != MatType.CV_8UC1)
        {
            throw new ArgumentException($"expected an 8-bit single-channel Mat, got {mat.Type()}", nameof(mat));
        }

        var image = new GrayImage(mat.Width, mat.Height);
        using var continuous = mat.IsContinuous() ? null : mat.Clone();
        var source = continuous ?? mat;
        System.Runtime.InteropServices.Marshal.Copy(source.Data, image.Pixels, 0, image.Pixels.Length);
        return image;
    }

    public Mat ToMat()
    {
        var mat = new Mat(Height, Width, MatType.CV_8UC1);
        System.Runtime.InteropServices.Marshal.Copy(Pixels, 0, mat.Data, Pixels.Length);
        return mat;
    }
}
