namespace AnomalyNcd.Core.Synthetic;

/// <summary>
/// Imitates an unsupervised detector's raw anomaly map: smooth background, clutter where the texture
/// has strong edges, a few false-positive specks, and a blurred response over each defect whose peak
/// follows the defect's visibility. A small share of defects is missed entirely.
/// </summary>
internal static class DetectorMapSimulator
{
    public const double MissRate = 0.05;

    /// <summary>Returns the raw map and, per defect, the peak response given to it (0 when missed).</summary>
    public static (float[] Map, double[] Peaks) Simulate(Random random, int size, LineRecipe recipe, float[] texture, IReadOnlyList<PaintedDefect> defects)
    {
        var scale = size / 256.0;
        var map = new float[size * size];

        var offset = 0.08 + (0.04 * random.NextDouble());
        var drift = Planes.SmoothNoise(random, size, size / 24.0, size / 24.0);
        var grain = Planes.Gaussian(random, size * size);
        for (var i = 0; i < map.Length; i++)
        {
            map[i] = (float)(offset + (0.025 * drift[i]) + (0.012 * grain[i]));
        }

        AddTextureClutter(map, texture, size, scale, recipe.ClutterGain);

        var falsePositives = random.Next(0, 4);
        for (var f = 0; f < falsePositives; f++)
        {
            var speck = new float[map.Length];
            speck[(random.Next(size) * size) + random.Next(size)] = 1;
            var sigma = (1.5 + (2.5 * random.NextDouble())) * scale;
            AddPeak(map, Planes.Blur(speck, size, sigma, sigma), 0.15 + (0.35 * random.NextDouble()));
        }

        var peaks = new double[defects.Count];
        for (var d = 0; d < defects.Count; d++)
        {
            var missed = random.NextDouble() < MissRate;
            var strength = Math.Clamp(defects[d].Visibility, 0.2, 1.3) * (0.55 + (0.5 * random.NextDouble()));
            var sigma = (1.5 + (1.5 * random.NextDouble())) * scale;
            if (missed)
            {
                continue;
            }

            // The response is uneven over the defect, as real detectors' patch scores are.
            var unevenness = Planes.SmoothNoise(random, size, 4 * scale, 4 * scale);
            var region = new float[map.Length];
            for (var i = 0; i < region.Length; i++)
            {
                region[i] = defects[d].Mask[i] ? Math.Max(0.2f, 1f + (0.3f * unevenness[i])) : 0f;
            }

            // Detectors score patches (about 8 px at 256², e.g. PatchCore's feature stride), so even a
            // 2 px scratch answers with a band several pixels wide that survives MEBin's 6x6 erosion.
            var patch = Math.Max(3, (int)Math.Round(8 * scale));
            AddPeak(map, Planes.Blur(Planes.MaxFilter(region, size, patch), size, sigma, sigma), strength);
            peaks[d] = strength;
        }

        for (var i = 0; i < map.Length; i++)
        {
            map[i] = Math.Max(0f, map[i]);
        }

        return (map, peaks);
    }

    /// <summary>Detectors react to texture edges; the clutter is the local high-pass magnitude of the surface.</summary>
    private static void AddTextureClutter(float[] map, float[] texture, int size, double scale, double gain)
    {
        var smooth = Planes.Blur(texture, size, 1.5 * scale, 1.5 * scale);
        var edges = new float[texture.Length];
        double sum = 0;
        for (var i = 0; i < edges.Length; i++)
        {
            edges[i] = Math.Abs(texture[i] - smooth[i]);
            sum += edges[i];
        }

        edges = Planes.Blur(edges, size, 1.2 * scale, 1.2 * scale);
        var mean = Math.Max(sum / edges.Length, 1e-6);
        for (var i = 0; i < map.Length; i++)
        {
            map[i] += (float)(0.035 * gain * edges[i] / mean);
        }
    }

    /// <summary>Adds a response scaled so that its own maximum equals <paramref name="height"/>.</summary>
    private static void AddPeak(float[] map, float[] response, double height)
    {
        var max = Planes.Max(response);
        if (max <= 0)
        {
            return;
        }

        var factor = (float)(height / max);
        for (var i = 0; i < map.Length; i++)
        {
            map[i] += response[i] * factor;
        }
    }
}
