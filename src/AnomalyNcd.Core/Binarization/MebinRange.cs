using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Imaging;

namespace AnomalyNcd.Core.Binarization;

/// <summary>
/// The search range of MEBin for one set of anomaly maps (method-spec §5.1–5.2): the smallest and
/// the largest per-map maximum over the whole set, normal maps included. Set-level by design: the
/// same map binarises differently in a different set, so callers pass the range explicitly.
/// </summary>
public readonly record struct MebinRange(byte MinTh, byte MaxTh)
{
    public bool IsDegenerate => MaxTh <= MinTh;

    /// <summary>
    /// The reference normalisation of one raw value: 0 below MinTh, else (a − min) / (max − min) · 255
    /// in double precision and this operation order; not rounded, not clipped.
    /// </summary>
    public double Normalize(byte value) =>
        value < MinTh ? 0.0 : (value - MinTh) / (double)(MaxTh - MinTh) * 255.0;

    /// <summary>All 256 normalised values, for table lookups on hot paths.</summary>
    public double[] NormalizationTable()
    {
        var table = new double[256];
        for (var a = 0; a < 256; a++)
        {
            table[a] = Normalize((byte)a);
        }

        return table;
    }

    /// <summary>
    /// Raw-scale threshold for a normalised threshold tn: int(tn · (max − min) / 255 + min), truncated
    /// towards zero as Python's int() does (method-spec §5.4 step 5).
    /// </summary>
    public int ToRawThreshold(int normalizedThreshold) =>
        (int)Math.Truncate((normalizedThreshold * (double)(MaxTh - MinTh) / 255.0) + MinTh);

    /// <summary>What a refused degenerate set is told, wherever it is found.</summary>
    public const string DegenerateAdvice =
        "(were the maps normalised per image? normalise them per set, or choose the global-minimum fallback: discover --degenerate-fallback global-min)";

    /// <summary>Range of a set of maps; refuses a degenerate set unless a fallback is chosen (bug B2).</summary>
    public static MebinRange FromMaps(
        IReadOnlyList<GrayImage> maps,
        DegenerateRangePolicy policy = DegenerateRangePolicy.Refuse,
        string? setName = null)
    {
        if (maps.Count == 0)
        {
            throw new InvalidInputException(setName, "the map set is empty");
        }

        byte min = 255, max = 0, globalMin = 255;
        foreach (var map in maps)
        {
            var peak = map.Max();
            min = Math.Min(min, peak);
            max = Math.Max(max, peak);
            foreach (var p in map.Pixels)
            {
                globalMin = Math.Min(globalMin, p);
            }
        }

        var range = new MebinRange(min, max);
        if (!range.IsDegenerate)
        {
            return range;
        }

        return policy switch
        {
            DegenerateRangePolicy.UseGlobalMinimum when globalMin < max => new MebinRange(globalMin, max),
            _ => throw new InvalidInputException(
                setName,
                $"degenerate map set: all {maps.Count} maps share the same maximum {max}, so MEBin has no threshold range " +
                DegenerateAdvice),
        };
    }
}

/// <summary>What to do when every map of a set has the same maximum (method-spec bug B2).</summary>
public enum DegenerateRangePolicy
{
    /// <summary>Refuse with a clear error (default; the reference silently degenerates instead).</summary>
    Refuse,

    /// <summary>Use the smallest pixel value of the whole set as the lower end (anomalib's fallback).</summary>
    UseGlobalMinimum,
}
