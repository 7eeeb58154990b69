using OpenCvSharp;

namespace AnomalyNcd.Core.Synthetic;

/// <summary>
/// Draws defects at random positions, sizes, orientations and contrasts. Size and contrast ranges of
/// the kinds overlap on purpose, so that the kind shows in the shape rather than in a single number.
/// Lengths are given for 256-pixel images and scaled with the image.
/// </summary>
internal static class DefectPainter
{
    private const int Attempts = 20;
    private const int MinArea = 3;

    /// <param name="extent">Scales every length and radius of the kind (1 = its standard ranges).</param>
    public static PaintedDefect Paint(DefectKind kind, Random random, int size, int channels, double extent = 1.0)
    {
        for (var attempt = 0; ; attempt++)
        {
            var defect = PaintOnce(kind, random, size, channels, extent);
            if (defect.Area >= MinArea || attempt >= Attempts)
            {
                return defect;
            }
        }
    }

    private static PaintedDefect PaintOnce(DefectKind kind, Random random, int size, int channels, double extent) => kind switch
    {
        DefectKind.Scratch => Scratch(random, size, channels, extent),
        DefectKind.Spot => Spot(random, size, channels, extent),
        DefectKind.Crack => Crack(random, size, channels, extent),
        DefectKind.Stain => Stain(random, size, channels, extent),
        DefectKind.MissingPiece => MissingPiece(random, size, channels, extent),
        DefectKind.Contamination => Contamination(random, size, channels, extent),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown defect kind"),
    };

    private static PaintedDefect Scratch(Random random, int size, int channels, double extent)
    {
        var scale = size / 256.0;
        var length = Between(random, 0.18, 0.6) * size * extent;
        var angle = random.NextDouble() * Math.PI;
        var centre = InnerPoint(random, size, 0.15);
        var bend = Between(random, -0.08, 0.08) * length;
        var direction = new Point2d(Math.Cos(angle), Math.Sin(angle));
        var normal = new Point2d(-direction.Y, direction.X);
        var points = new List<Point2d>();
        for (var k = 0; k <= 8; k++)
        {
            var t = k / 8.0;
            var along = (t - 0.5) * length;
            var across = bend * 4 * t * (1 - t);
            points.Add(centre + (direction * along) + (normal * across));
        }

        var thickness = Math.Max(1, (int)Math.Round((random.NextDouble() < 0.35 ? 2 : 1) * scale));
        var contrast = Signed(random, 0.45, 0.06, 0.3);
        using var canvas = new ShapeCanvas(size);
        canvas.Polyline(points, thickness);
        return Finish(DefectKind.Scratch, canvas, 0.6, contrast, Neutral(channels, contrast), false, Math.Abs(contrast) / 0.2);
    }

    private static PaintedDefect Spot(Random random, int size, int channels, double extent)
    {
        var scale = size / 256.0;
        var semiMajor = Between(random, 2, 9) * scale * extent;
        var semiMinor = semiMajor * Between(random, 0.6, 1);
        var contrast = Signed(random, 0.4, 0.08, 0.45);
        using var canvas = new ShapeCanvas(size);
        canvas.Ellipse(InnerPoint(random, size, 0.08), semiMajor, semiMinor, random.NextDouble() * 180);
        return Finish(DefectKind.Spot, canvas, Math.Max(0.6, semiMajor / 4), contrast, Neutral(channels, contrast), false, Math.Abs(contrast) / 0.2);
    }

    /// <summary>A heading-persistent random walk with one or two side branches.</summary>
    private static PaintedDefect Crack(Random random, int size, int channels, double extent)
    {
        var scale = size / 256.0;
        var totalLength = Between(random, 0.15, 0.45) * size * extent;
        var heading = random.NextDouble() * 2 * Math.PI;
        var main = Walk(random, InnerPoint(random, size, 0.2), heading, totalLength, scale);
        using var canvas = new ShapeCanvas(size);
        canvas.Polyline(main, Math.Max(1, (int)Math.Round((random.NextDouble() < 0.5 ? 2 : 1) * scale)));
        var branches = random.NextDouble() switch { < 0.2 => 0, < 0.7 => 1, _ => 2 };
        for (var b = 0; b < branches && main.Count > 3; b++)
        {
            var from = main[random.Next(2, main.Count - 1)];
            var side = random.NextDouble() < 0.5 ? -1 : 1;
            var branchHeading = heading + (side * Between(random, 0.4, 1.1));
            canvas.Polyline(Walk(random, from, branchHeading, totalLength * Between(random, 0.2, 0.5), scale), Math.Max(1, (int)Math.Round(scale)));
        }

        var contrast = -Between(random, 0.12, 0.45);
        return Finish(DefectKind.Crack, canvas, 0.5, contrast, Neutral(channels, contrast), false, Math.Abs(contrast) / 0.22);
    }

    /// <summary>A few overlapping ellipses, heavily blurred and made blotchy; the mask is the half-coverage contour.</summary>
    private static PaintedDefect Stain(Random random, int size, int channels, double extent)
    {
        var scale = size / 256.0;
        var radius = Between(random, 7, 30) * scale * extent;
        var centre = InnerPoint(random, size, 0.2);
        using var canvas = new ShapeCanvas(size);
        var blobs = random.Next(3, 7);
        for (var b = 0; b < blobs; b++)
        {
            var offsetAngle = random.NextDouble() * 2 * Math.PI;
            var offset = Between(random, 0, 0.9) * radius;
            var blobCentre = centre + new Point2d(Math.Cos(offsetAngle) * offset, Math.Sin(offsetAngle) * offset);
            canvas.Ellipse(blobCentre, radius * Between(random, 0.3, 0.9), radius * Between(random, 0.3, 0.9), random.NextDouble() * 180);
        }

        var alpha = Planes.Blur(Planes.FromMat(canvas.Mask), size, radius / 3, radius / 3);
        var blotches = Planes.SmoothNoise(random, size, Math.Max(1, radius / 2), Math.Max(1, radius / 2));
        var mask = new bool[alpha.Length];
        var area = 0;
        for (var i = 0; i < alpha.Length; i++)
        {
            alpha[i] = Math.Clamp(alpha[i] / 255f * (1 + (0.35f * blotches[i])), 0f, 1f);
            mask[i] = alpha[i] > 0.5f;
            area += mask[i] ? 1 : 0;
        }

        var contrast = Signed(random, 0.3, 0.04, 0.16);
        var colour = new float[channels];
        for (var c = 0; c < channels; c++)
        {
            // Stains on colour products shift the hue as well as the brightness.
            colour[c] = (float)(contrast * (channels == 1 ? 1 : Between(random, 0.4, 1.6)));
        }

        return new PaintedDefect
        {
            Kind = DefectKind.Stain,
            Alpha = alpha,
            Mask = mask,
            Area = area,
            Replaces = false,
            Colour = colour,
            Contrast = contrast,
            Visibility = Math.Abs(contrast) / 0.2, // detectors see soft blobs less well than edges
        };
    }

    /// <summary>An irregular polygon on the border (chip) or inside (hole), filled with the backing.</summary>
    private static PaintedDefect MissingPiece(Random random, int size, int channels, double extent)
    {
        var scale = size / 256.0;
        Point2d centre;
        double radius;
        if (random.NextDouble() < 0.5)
        {
            radius = Between(random, 8, 24) * scale * extent;
            var along = Between(random, 0.15, 0.85) * size;
            centre = random.Next(4) switch
            {
                0 => new Point2d(along, 0),
                1 => new Point2d(along, size - 1),
                2 => new Point2d(0, along),
                _ => new Point2d(size - 1, along),
            };
        }
        else
        {
            radius = Between(random, 4, 15) * scale * extent;
            centre = InnerPoint(random, size, 0.15);
        }

        var corners = random.Next(7, 12);
        var angles = Enumerable.Range(0, corners).Select(_ => random.NextDouble() * 2 * Math.PI).Order().ToArray();
        var polygon = angles
            .Select(a => centre + new Point2d(Math.Cos(a), Math.Sin(a)) * (radius * Between(random, 0.55, 1)))
            .ToArray();
        using var canvas = new ShapeCanvas(size);
        canvas.Polygon(polygon);
        var fill = random.NextDouble() < 0.75 ? Between(random, 0.02, 0.15) : Between(random, 0.85, 0.98);
        var colour = Enumerable.Repeat((float)fill, channels).ToArray();
        return Finish(DefectKind.MissingPiece, canvas, 0.6, fill - 0.5, colour, true, Between(random, 0.7, 1.1));
    }

    private static PaintedDefect Contamination(Random random, int size, int channels, double extent)
    {
        var scale = size / 256.0;
        var spread = Between(random, 5, 18) * scale * extent;
        var centre = InnerPoint(random, size, 0.12);
        var specks = random.Next(4, 17);
        using var canvas = new ShapeCanvas(size);
        for (var s = 0; s < specks; s++)
        {
            var offset = new Point2d(Gaussian(random), Gaussian(random)) * (spread / 2);
            canvas.Disc(centre + offset, Math.Max(0.7, Between(random, 0.7, 2.2) * scale));
        }

        var contrast = Signed(random, 0.2, 0.1, 0.4);
        return Finish(DefectKind.Contamination, canvas, 0.5, contrast, Neutral(channels, contrast), false, 0.8 * Math.Abs(contrast) / 0.25);
    }

    private static List<Point2d> Walk(Random random, Point2d start, double heading, double length, double scale)
    {
        var points = new List<Point2d> { start };
        var direction = heading;
        var travelled = 0.0;
        var position = start;
        while (travelled < length)
        {
            var step = Between(random, 3, 6) * Math.Max(scale, 0.5);
            // Jagged but keeping its course: random turns pulled back towards the mean heading.
            direction += Between(random, -0.5, 0.5) + (0.3 * (heading - direction));
            position += new Point2d(Math.Cos(direction), Math.Sin(direction)) * step;
            points.Add(position);
            travelled += step;
        }

        return points;
    }

    private static PaintedDefect Finish(DefectKind kind, ShapeCanvas canvas, double softness, double contrast, float[] colour, bool replaces, double visibility)
    {
        var coverage = Planes.FromMat(canvas.Coverage);
        var alpha = Planes.Blur(coverage, canvas.Size, softness, softness);
        var hard = Planes.FromMat(canvas.Mask);
        var mask = new bool[hard.Length];
        var area = 0;
        for (var i = 0; i < alpha.Length; i++)
        {
            alpha[i] = Math.Min(1f, alpha[i] / 255f);
            mask[i] = hard[i] > 0;
            area += mask[i] ? 1 : 0;
        }

        return new PaintedDefect
        {
            Kind = kind,
            Alpha = alpha,
            Mask = mask,
            Area = area,
            Replaces = replaces,
            Colour = colour,
            Contrast = contrast,
            Visibility = visibility,
        };
    }

    private static float[] Neutral(int channels, double contrast) => Enumerable.Repeat((float)contrast, channels).ToArray();

    private static double Between(Random random, double low, double high) => low + ((high - low) * random.NextDouble());

    /// <summary>A magnitude in [low, high] that is positive (brighter) with probability <paramref name="brightShare"/>.</summary>
    private static double Signed(Random random, double brightShare, double low, double high)
    {
        var sign = random.NextDouble() < brightShare ? 1 : -1;
        return sign * Between(random, low, high);
    }

    private static Point2d InnerPoint(Random random, int size, double margin) =>
        new(Between(random, margin, 1 - margin) * size, Between(random, margin, 1 - margin) * size);

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
