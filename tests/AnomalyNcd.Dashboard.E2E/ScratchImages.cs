using AnomalyNcd.Silo.Tests.Api;
using OpenCvSharp;

namespace AnomalyNcd.Dashboard.E2E;

/// <summary>
/// A second defect kind for the operator loop, unlike <see cref="SpotImages"/>' dark discs: a thin bright
/// diagonal scratch on the same textured surface, with a detector-like map that lights up along the scratch.
/// </summary>
internal static class ScratchImages
{
    public static byte[] SurfacePng(int width, int height, int seed)
    {
        using var image = TestImages.NoisySurface(width, height, seed);
        var (from, to) = Ends(width, height, seed);
        Cv2.Line(image, from, to, Scalar.All(235), 3);
        return TestImages.Encode(image);
    }

    public static byte[] MapPng(int width, int height, int seed)
    {
        using var map = new Mat(height, width, MatType.CV_8UC1, Scalar.All(10));
        var (from, to) = Ends(width, height, seed);
        Cv2.Line(map, from, to, Scalar.All(240), 7);
        Cv2.GaussianBlur(map, map, new Size(5, 5), 0);
        return TestImages.Encode(map);
    }

    // Slightly different scratches per seed, always long and clear of the border.
    private static (Point From, Point To) Ends(int width, int height, int seed)
    {
        var shift = (seed % 5) * (width / 32);
        return (new Point(width / 5 + shift, height / 5), new Point(4 * width / 5 - shift, 4 * height / 5));
    }
}
