using OpenCvSharp;

namespace AnomalyNcd.Silo.Tests.Api;

/// <summary>Real encoded images for upload tests: a textured surface with a dark spot, and a detector-like map of that spot.</summary>
internal static class TestImages
{
    public static byte[] SurfacePng(int width, int height, int seed)
    {
        using var image = NoisySurface(width, height, seed);
        Cv2.Circle(image, new Point(width / 2, height / 2), Math.Max(3, width / 10), Scalar.All(30), -1);
        return Encode(image);
    }

    /// <summary>A defect-free surface: the texture alone (what a line's detector learns as normal).</summary>
    public static byte[] NoisyPng(int width, int height, int seed)
    {
        using var image = NoisySurface(width, height, seed);
        return Encode(image);
    }

    /// <summary>The textured background every test image is drawn on: grey 120–139, a different texture per seed.</summary>
    public static Mat NoisySurface(int width, int height, int seed)
    {
        var image = new Mat(height, width, MatType.CV_8UC1);
        var random = new Random(seed);
        var pixels = new byte[width * height];
        for (var i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (byte)(120 + random.Next(20));
        }

        System.Runtime.InteropServices.Marshal.Copy(pixels, 0, image.Data, pixels.Length);
        return image;
    }

    /// <summary>An 8-bit map: low everywhere, a bright disc where the image has its spot.</summary>
    public static byte[] MapPng(int width, int height)
    {
        using var map = new Mat(height, width, MatType.CV_8UC1, Scalar.All(10));
        Cv2.Circle(map, new Point(width / 2, height / 2), Math.Max(3, width / 8), Scalar.All(240), -1);
        Cv2.GaussianBlur(map, map, new Size(5, 5), 0);
        return Encode(map);
    }

    public static byte[] Encode(Mat image) =>
        Cv2.ImEncode(".png", image, out var encoded) ? encoded : throw new InvalidOperationException("PNG encoding failed");
}
