using AnomalyNcd.Silo.Tests.Api;
using OpenCvSharp;

namespace AnomalyNcd.Dashboard.E2E;

/// <summary>
/// The operator loop's two defect kinds on the textured test surface, each with a detector-like map (background 10,
/// bright over the defect, slightly blurred): a dark disc whose position and size change with the seed, and a thin
/// bright diagonal scratch whose ends shift with the seed. A new image is never a copy of a training one.
/// </summary>
internal static class DefectImages
{
    public static (byte[] Image, byte[] Map) Spot(int width, int height, int seed)
    {
        var random = new Random(seed * 7919 + 17);
        var radius = width / 14 + random.Next(width / 20);
        var margin = radius + width / 8;
        var centre = new Point(margin + random.Next(width - 2 * margin), margin + random.Next(height - 2 * margin));
        return Draw(width, height, seed,
            image => Cv2.Circle(image, centre, radius, Scalar.All(30), -1),
            map => Cv2.Circle(map, centre, radius + 2, Scalar.All(240), -1));
    }

    public static (byte[] Image, byte[] Map) Scratch(int width, int height, int seed)
    {
        var shift = (seed % 5) * (width / 32);
        var from = new Point(width / 5 + shift, height / 5);
        var to = new Point(4 * width / 5 - shift, 4 * height / 5);
        return Draw(width, height, seed,
            image => Cv2.Line(image, from, to, Scalar.All(235), 3),
            map => Cv2.Line(map, from, to, Scalar.All(240), 7));
    }

    private static (byte[] Image, byte[] Map) Draw(int width, int height, int seed, Action<Mat> drawDefect, Action<Mat> drawResponse)
    {
        using var image = TestImages.NoisySurface(width, height, seed);
        drawDefect(image);
        using var map = new Mat(height, width, MatType.CV_8UC1, Scalar.All(10));
        drawResponse(map);
        Cv2.GaussianBlur(map, map, new Size(5, 5), 0);
        return (TestImages.Encode(image), TestImages.Encode(map));
    }
}
