using AnomalyNcd.Core.Imaging;

namespace AnomalyNcd.Core.Binarization;

/// <summary>
/// Random anomaly maps for benchmarks and property tests: a low noisy background with a few smooth,
/// possibly elongated blobs of varied height, lightly blurred like detector output. Deterministic
/// for a given <see cref="Random"/> seed.
/// </summary>
public static class SyntheticAnomalyMaps
{
    public static GrayImage DetectorLike(Random random, int width, int height, int maxBlobs = 5)
    {
        var field = new double[width * height];
        var background = 10 + (random.NextDouble() * 40);
        var noise = 5 + (random.NextDouble() * 25);
        for (var p = 0; p < field.Length; p++)
        {
            field[p] = background + (noise * random.NextDouble());
        }

        var blobs = random.Next(maxBlobs + 1);
        var scale = Math.Min(width, height);
        for (var b = 0; b < blobs; b++)
        {
            AddBlob(field, width, height, random, scale);
        }

        return ToImage(BoxBlur3(field, width, height), width, height);
    }

    /// <summary>Uniform noise over a random sub-range of 0..255.</summary>
    public static GrayImage Noise(Random random, int width, int height)
    {
        var low = random.Next(0, 128);
        var high = random.Next(low + 1, 256);
        var image = new GrayImage(width, height);
        for (var p = 0; p < image.Pixels.Length; p++)
        {
            image.Pixels[p] = (byte)random.Next(low, high + 1);
        }

        return image;
    }

    public static GrayImage Flat(int width, int height, byte value)
    {
        var image = new GrayImage(width, height);
        Array.Fill(image.Pixels, value);
        return image;
    }

    private static void AddBlob(double[] field, int width, int height, Random random, int scale)
    {
        var cx = random.NextDouble() * width;
        var cy = random.NextDouble() * height;
        var sx = 1 + (random.NextDouble() * scale / 8.0);
        var sy = sx * (0.3 + (random.NextDouble() * 2.0));
        var angle = random.NextDouble() * Math.PI;
        var (sin, cos) = Math.SinCos(angle);
        var amplitude = 60 + (random.NextDouble() * 200);

        // only pixels within four sigmas contribute noticeably
        var reach = 4 * Math.Max(sx, sy);
        var x0 = Math.Max(0, (int)(cx - reach));
        var x1 = Math.Min(width - 1, (int)(cx + reach));
        var y0 = Math.Max(0, (int)(cy - reach));
        var y1 = Math.Min(height - 1, (int)(cy + reach));
        for (var y = y0; y <= y1; y++)
        {
            for (var x = x0; x <= x1; x++)
            {
                var dx = x - cx;
                var dy = y - cy;
                var u = ((dx * cos) + (dy * sin)) / sx;
                var v = ((-dx * sin) + (dy * cos)) / sy;
                field[(y * width) + x] += amplitude * Math.Exp(-0.5 * ((u * u) + (v * v)));
            }
        }
    }

    private static double[] BoxBlur3(double[] field, int width, int height)
    {
        var result = new double[field.Length];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                double sum = 0;
                var n = 0;
                for (var yy = Math.Max(0, y - 1); yy <= Math.Min(height - 1, y + 1); yy++)
                {
                    for (var xx = Math.Max(0, x - 1); xx <= Math.Min(width - 1, x + 1); xx++)
                    {
                        sum += field[(yy * width) + xx];
                        n++;
                    }
                }

                result[(y * width) + x] = sum / n;
            }
        }

        return result;
    }

    private static GrayImage ToImage(double[] field, int width, int height)
    {
        var image = new GrayImage(width, height);
        for (var p = 0; p < field.Length; p++)
        {
            image.Pixels[p] = (byte)Math.Clamp((int)Math.Round(field[p]), 0, 255);
        }

        return image;
    }
}
