using OpenCvSharp;

namespace AnomalyNcd.Dashboard.E2E;

/// <summary>
/// A second defect kind for the operator loop, unlike <c>TestImages.SurfacePng</c>'s centred dark spot: a thin bright
/// diagonal scratch on the same textured surface, with a detector-like map that lights up along the scratch.
/// </summary>
internal static class ScratchImages
{
    public static byte[] SurfacePng(int width, int height, int seed)
    {
        using var image = new Mat(height, width, MatType.CV_8UC1);
        var random = new Random(seed);
        var pixels = new byte[width * height];
        for (var i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (byte)(120 + random.Next(20));
        }

        System.Runtime.InteropServices.Marshal.Copy(pixels, 0, image.Data, pixels.Length);
        var (from, to) = Ends(width, height, seed);
        Cv2.Line(image, from, to, Scalar.All(235), 3);
        return Encode(image);
    }

    public static byte[] MapPng(int width, int height, int seed)
    {
        using var map = new Mat(height, width, MatType.CV_8UC1, Scalar.All(10));
        var (from, to) = Ends(width, height, seed);
        Cv2.Line(map, from, to, Scalar.All(240), 7);
        Cv2.GaussianBlur(map, map, new Size(5, 5), 0);
        return Encode(map);
    }

    // Slightly different scratches per seed, always long and clear of the border.
    private static (Point From, Point To) Ends(int width, int height, int seed)
    {
        var shift = (seed % 5) * (width / 32);
        return (new Point(width / 5 + shift, height / 5), new Point(4 * width / 5 - shift, 4 * height / 5));
    }

    private static byte[] Encode(Mat image) =>
        Cv2.ImEncode(".png", image, out var encoded) ? encoded : throw new InvalidOperationException("PNG encoding failed");
}
