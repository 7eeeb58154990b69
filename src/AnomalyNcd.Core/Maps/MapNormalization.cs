using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Imaging;

namespace AnomalyNcd.Core.Maps;

/// <summary>
/// Turns raw maps into the 8-bit maps MEBin reads, with the reference's convention (method-spec §4.2):
/// all raw maps of one set (a product line) are min–max normalised TOGETHER,
/// <c>(x − min) / (max − min) · 255</c>, and cast to 8 bits by truncation. Values stay comparable
/// across the set's images; per-image normalisation would break MEBin (spec §13, B2).
/// </summary>
public static class MapNormalization
{
    /// <summary>Normalises the maps of one set with their joint range; the set's brightest pixel becomes 255.</summary>
    /// <param name="maps">All raw maps of the set.</param>
    /// <param name="allowDegenerate">A set whose maps all hold one value has no range; it is refused unless this is true, and then every map becomes all zeros.</param>
    /// <param name="setName">Named in the error of a degenerate set.</param>
    public static IReadOnlyList<GrayImage> PerSet(IReadOnlyList<FloatMap> maps, bool allowDegenerate = false, string? setName = null)
    {
        if (maps.Count == 0)
        {
            return [];
        }

        var (min, max) = JointRange(maps);
        if (max <= min && !allowDegenerate)
        {
            throw new InvalidInputException(setName, $"all {maps.Count} anomaly map(s) hold the single value {min}; min–max normalisation needs a range");
        }

        return [.. maps.Select(m => ToByte(m, min, max))];
    }

    /// <summary>Smallest and largest value over all maps.</summary>
    public static (float Min, float Max) JointRange(IEnumerable<FloatMap> maps)
    {
        var min = float.PositiveInfinity;
        var max = float.NegativeInfinity;
        foreach (var map in maps)
        {
            var (lo, hi) = map.Range();
            min = Math.Min(min, lo);
            max = Math.Max(max, hi);
        }

        return (min, max);
    }

    /// <summary>
    /// The one formula shared by the batch and the streamed path: <c>(x − min) / (max − min) · 255</c> in
    /// double precision, clamped to 0..255 (a no-op inside the set) and truncated. A degenerate range maps to 0.
    /// </summary>
    public static GrayImage ToByte(FloatMap map, float min, float max)
    {
        var image = new GrayImage(map.Width, map.Height);
        var span = (double)max - min;
        if (span <= 0)
        {
            return image;
        }

        var pixels = image.Pixels;
        if (map.TryGetBytes(out var bytes))
        {
            // 8-bit values: 256 possible inputs, each through the same formula once
            Span<byte> table = stackalloc byte[256];
            for (var v = 0; v < 256; v++)
            {
                table[v] = ToByte(v, min, max);
            }

            for (var i = 0; i < pixels.Length; i++)
            {
                pixels[i] = table[bytes[i]];
            }

            return image;
        }

        var values = map.Values;
        for (var i = 0; i < pixels.Length; i++)
        {
            var scaled = (values[i] - (double)min) / span * 255.0;
            pixels[i] = (byte)Math.Clamp(scaled, 0.0, 255.0);
        }

        return image;
    }

    /// <summary>One value through the same formula as <see cref="ToByte(FloatMap, float, float)"/>.</summary>
    public static byte ToByte(float value, float min, float max)
    {
        var span = (double)max - min;
        return span <= 0 ? (byte)0 : (byte)Math.Clamp((value - (double)min) / span * 255.0, 0.0, 255.0);
    }
}
