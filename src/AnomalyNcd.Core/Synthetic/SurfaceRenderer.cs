using OpenCvSharp;

namespace AnomalyNcd.Core.Synthetic;

/// <summary>
/// Procedural product surfaces as luminance planes (about 0.1–0.9). Every image of a line shares the
/// line's texture family and feature scale; the random field differs per image.
/// </summary>
internal static class SurfaceRenderer
{
    public static float[] Render(LineRecipe recipe, Random random, int size)
    {
        var scale = size / 256.0;
        var plane = recipe.Surface switch
        {
            SurfaceKind.BrushedMetal => BrushedMetal(random, size, scale * recipe.FeatureScale),
            SurfaceKind.WovenTextile => WovenTextile(random, size, scale * recipe.FeatureScale),
            SurfaceKind.SpeckledCeramic => SpeckledCeramic(random, size, scale * recipe.FeatureScale),
            SurfaceKind.WoodGrain => WoodGrain(random, size, scale * recipe.FeatureScale),
            _ => throw new ArgumentOutOfRangeException(nameof(recipe), recipe.Surface, "unknown surface"),
        };
        return recipe.Transposed ? Transpose(plane, size) : plane;
    }

    /// <summary>Streaks: noise blurred far along x and barely along y, plus grain and broad waviness.</summary>
    private static float[] BrushedMetal(Random random, int size, double scale)
    {
        var streaks = Planes.SmoothNoise(random, size, 40 * scale, 0.6);
        var grain = Planes.SmoothNoise(random, size, 3 * scale, 0.5);
        var broad = Planes.SmoothNoise(random, size, size / 6.0, size / 6.0);
        var level = 0.5 + (0.1 * random.NextDouble());
        var plane = new float[size * size];
        for (var i = 0; i < plane.Length; i++)
        {
            plane[i] = (float)(level + (0.05 * streaks[i]) + (0.025 * grain[i]) + (0.03 * broad[i]));
        }

        return plane;
    }

    /// <summary>Plain weave: alternating warp and weft crossings with wobbly threads of uneven brightness.</summary>
    private static float[] WovenTextile(Random random, int size, double scale)
    {
        var period = Math.Max(4.0, 8 * scale);
        var threads = (int)(size / period) + 8;
        var rowGain = new double[threads];
        var columnGain = new double[threads];
        for (var t = 0; t < threads; t++)
        {
            rowGain[t] = 0.85 + (0.3 * random.NextDouble());
            columnGain[t] = 0.85 + (0.3 * random.NextDouble());
        }

        var wobbleU = Planes.SmoothNoise(random, size, 2 * period, 2 * period);
        var wobbleV = Planes.SmoothNoise(random, size, 2 * period, 2 * period);
        var fuzz = Planes.SmoothNoise(random, size, 0.7, 0.7);
        var arch = HalfSineTable();
        var plane = new float[size * size];
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                var i = (y * size) + x;
                var u = (x / period) + (0.12 * wobbleU[i]) + 2;
                var v = (y / period) + (0.12 * wobbleV[i]) + 2;
                var column = (int)Math.Floor(u);
                var row = (int)Math.Floor(v);
                var fu = u - column;
                var fv = v - row;
                var warpOnTop = ((column + row) & 1) == 0;
                var archU = arch[(int)(fu * ArchSteps)];
                var archV = arch[(int)(fv * ArchSteps)];
                var value = warpOnTop
                    ? archV * (0.65 + (0.35 * archU)) * rowGain[Wrap(row, threads)]
                    : archU * (0.65 + (0.35 * archV)) * columnGain[Wrap(column, threads)];
                plane[i] = (float)(0.22 + (0.5 * value) + (0.03 * fuzz[i]));
            }
        }

        return plane;
    }

    /// <summary>Mottled glaze with many small dark and a few bright specks (which look a little like defects).</summary>
    private static float[] SpeckledCeramic(Random random, int size, double scale)
    {
        var mottling = Planes.SmoothNoise(random, size, size / 10.0, size / 10.0);
        var fine = Planes.SmoothNoise(random, size, 0.8, 0.8);
        using var dark = new Mat(size, size, MatType.CV_8UC1, Scalar.All(0));
        using var bright = new Mat(size, size, MatType.CV_8UC1, Scalar.All(0));
        var specks = (int)(size * size / 350.0);
        for (var s = 0; s < specks; s++)
        {
            var target = random.NextDouble() < 0.75 ? dark : bright;
            var centre = new Point((int)(random.NextDouble() * size * 16), (int)(random.NextDouble() * size * 16));
            var radius = (int)(Math.Max(0.5, (0.6 + random.NextDouble()) * scale) * 16);
            var strength = 100 + random.Next(156);
            Cv2.Circle(target, centre, radius, Scalar.All(strength), -1, LineTypes.AntiAlias, 4);
        }

        var darkPlane = Planes.FromMat(dark);
        var brightPlane = Planes.FromMat(bright);
        var level = 0.6 + (0.08 * random.NextDouble());
        var plane = new float[size * size];
        for (var i = 0; i < plane.Length; i++)
        {
            plane[i] = (float)(level + (0.04 * mottling[i]) + (0.015 * fine[i]) + ((0.25 / 255) * (brightPlane[i] - darkPlane[i])));
        }

        return plane;
    }

    /// <summary>Growth rings bent by two smooth fields, sharpened into thin late-wood lines, with fibres.</summary>
    private static float[] WoodGrain(Random random, int size, double scale)
    {
        var bend = Planes.SmoothNoise(random, size, size / 8.0, size / 8.0);
        var stretch = Planes.SmoothNoise(random, size, size / 3.0, size / 20.0);
        var fibres = Planes.SmoothNoise(random, size, size / 12.0, 0.6);
        var period = 14 * scale;
        var slant = (random.NextDouble() - 0.5) * 0.3;
        var offset = random.NextDouble() * period;
        var plane = new float[size * size];
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                var i = (y * size) + x;
                var phase = (y + offset + (6 * scale * bend[i]) + (10 * scale * stretch[i]) + (slant * x)) / period;
                var ring = 0.5 + (0.5 * Math.Sin(2 * Math.PI * phase));
                plane[i] = (float)(0.62 - (0.25 * ring * ring * ring) + (0.03 * fibres[i]));
            }
        }

        return plane;
    }

    private const int ArchSteps = 256;

    /// <summary>sin(pi f) for f in [0, 1], tabulated: the thread cross-section profile.</summary>
    private static double[] HalfSineTable()
    {
        var table = new double[ArchSteps + 1];
        for (var k = 0; k <= ArchSteps; k++)
        {
            table[k] = Math.Sin(Math.PI * k / ArchSteps);
        }

        return table;
    }

    private static int Wrap(int index, int count) => ((index % count) + count) % count;

    private static float[] Transpose(float[] plane, int size)
    {
        var result = new float[plane.Length];
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                result[(x * size) + y] = plane[(y * size) + x];
            }
        }

        return result;
    }
}
