using OpenCvSharp;

namespace AnomalyNcd.Core.Synthetic;

/// <summary>
/// Draws one defect twice: anti-aliased into a soft coverage plane (what the camera sees) and
/// hard-edged into the ground-truth mask (what an annotator would paint). Coordinates are
/// sub-pixel (drawn with 4 fractional bits).
/// </summary>
internal sealed class ShapeCanvas : IDisposable
{
    private const int Shift = 4;
    private const double Unit = 1 << Shift;

    public ShapeCanvas(int size)
    {
        Size = size;
        Coverage = new Mat(size, size, MatType.CV_8UC1, Scalar.All(0));
        Mask = new Mat(size, size, MatType.CV_8UC1, Scalar.All(0));
    }

    public int Size { get; }

    /// <summary>Anti-aliased coverage, 0–255.</summary>
    public Mat Coverage { get; }

    /// <summary>Hard-edged ground truth, 0 or 255.</summary>
    public Mat Mask { get; }

    public void Polyline(IReadOnlyList<Point2d> points, int thickness)
    {
        var fixedPoints = points.Select(ToFixed).ToArray();
        Cv2.Polylines(Coverage, [fixedPoints], false, Scalar.All(255), thickness, LineTypes.AntiAlias, Shift);
        Cv2.Polylines(Mask, [fixedPoints], false, Scalar.All(255), thickness, LineTypes.Link8, Shift);
    }

    public void Polygon(IReadOnlyList<Point2d> points)
    {
        var fixedPoints = points.Select(ToFixed).ToArray();
        Cv2.FillPoly(Coverage, [fixedPoints], Scalar.All(255), LineTypes.AntiAlias, Shift);
        Cv2.FillPoly(Mask, [fixedPoints], Scalar.All(255), LineTypes.Link8, Shift);
    }

    public void Ellipse(Point2d centre, double semiAxisA, double semiAxisB, double angleDegrees)
    {
        var axes = new OpenCvSharp.Size(Math.Max(1, (int)(semiAxisA * Unit)), Math.Max(1, (int)(semiAxisB * Unit)));
        Cv2.Ellipse(Coverage, ToFixed(centre), axes, angleDegrees, 0, 360, Scalar.All(255), -1, LineTypes.AntiAlias, Shift);
        Cv2.Ellipse(Mask, ToFixed(centre), axes, angleDegrees, 0, 360, Scalar.All(255), -1, LineTypes.Link8, Shift);
    }

    public void Disc(Point2d centre, double radius) => Ellipse(centre, radius, radius, 0);

    public void Dispose()
    {
        Coverage.Dispose();
        Mask.Dispose();
    }

    private static Point ToFixed(Point2d p) => new((int)Math.Round(p.X * Unit), (int)Math.Round(p.Y * Unit));
}
