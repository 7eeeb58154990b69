using AnomalyNcd.Silo.Tests.Api;
using OpenCvSharp;

namespace AnomalyNcd.Dashboard.E2E;

/// <summary>
/// The operator loop's "dark spot" kind: a dark disc on the textured surface whose position and size change with the
/// seed (so a newly uploaded spot is not a copy of a training one), with a detector-like map bright over the disc.
/// </summary>
internal static class SpotImages
{
    public static byte[] SurfacePng(int width, int height, int seed)
    {
        using var image = TestImages.NoisySurface(width, height, seed);
        var (centre, radius) = Disc(width, height, seed);
        Cv2.Circle(image, centre, radius, Scalar.All(30), -1);
        return TestImages.Encode(image);
    }

    public static byte[] MapPng(int width, int height, int seed)
    {
        using var map = new Mat(height, width, MatType.CV_8UC1, Scalar.All(10));
        var (centre, radius) = Disc(width, height, seed);
        Cv2.Circle(map, centre, radius + 2, Scalar.All(240), -1);
        Cv2.GaussianBlur(map, map, new Size(5, 5), 0);
        return TestImages.Encode(map);
    }

    // Away from the border, radius 9–15 px on a 128 px image.
    private static (Point Centre, int Radius) Disc(int width, int height, int seed)
    {
        var random = new Random(seed * 7919 + 17);
        var radius = width / 14 + random.Next(width / 20);
        var margin = radius + width / 8;
        return (new Point(margin + random.Next(width - 2 * margin), margin + random.Next(height - 2 * margin)), radius);
    }
}
