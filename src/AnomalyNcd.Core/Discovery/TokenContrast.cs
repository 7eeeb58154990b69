using System.Numerics;
using AnomalyNcd.Core.Common;

namespace AnomalyNcd.Core.Discovery;

/// <summary>
/// Narrows a crop's visible tokens to those that differ from the crop's own context. A detector draws a defect as a
/// blob several times its size, so most tokens under a detector's mask show normal texture; the tokens outside the
/// mask are that texture. Each visible token scores the mean distance to its <see cref="Neighbours"/> nearest hidden
/// tokens, and only those scoring at least <c>fraction</c> of the highest stay visible.
/// </summary>
/// <remarks>
/// Measured on raw images (docs/RESULTS.md, "Stop 37"): MTD and a synthetic line both gain; ground-truth masks do
/// not (they already outline the defect, and narrowing them lost 0.03 NMI on MTD), so it is the default of the detector path only
/// (<see cref="TokenContrastDefaults"/>). ResNet18 backbone only: the ViT path keeps the reference's token mask.
/// </remarks>
public static class TokenContrast
{
    /// <summary>Hidden tokens each visible token is compared with (the mean of the nearest, robust to one stray).</summary>
    public const int Neighbours = 4;

    /// <summary>Below this many hidden tokens the context is too small to say what normal looks like: nothing changes.</summary>
    public const int MinimumContext = 16;

    /// <summary>
    /// The visible tokens that stand out from the hidden ones. <paramref name="tokens"/> is token-major
    /// (<c>visible.Length × channels</c>). A mask with one visible token, or with too little context, is returned as is.
    /// </summary>
    public static bool[] Narrow(float[] tokens, bool[] visible, int channels, double fraction)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(visible);
        Validate(fraction);

        if (tokens.Length != visible.Length * channels)
        {
            throw new ArgumentException($"{tokens.Length} token values for {visible.Length} tokens of {channels} channels", nameof(tokens));
        }

        var shown = Indices(visible, true);
        var context = Indices(visible, false);
        if (shown.Length <= 1 || context.Length < MinimumContext)
        {
            return visible;
        }

        var scores = new double[shown.Length];
        var nearest = new double[Neighbours];
        for (var s = 0; s < shown.Length; s++)
        {
            Array.Fill(nearest, double.PositiveInfinity);
            var row = tokens.AsSpan(shown[s] * channels, channels);
            foreach (var h in context)
            {
                Keep(nearest, SquaredDistance(row, tokens.AsSpan(h * channels, channels)));
            }

            scores[s] = nearest.Sum(Math.Sqrt) / Neighbours;
        }

        var needed = scores.Max() * fraction;
        var narrowed = new bool[visible.Length];
        for (var s = 0; s < shown.Length; s++)
        {
            narrowed[shown[s]] = scores[s] >= needed;
        }

        return narrowed;
    }

    /// <summary>Refuses a fraction outside [0, 1]; 0 means off (every token under the mask stays visible).</summary>
    public static void Validate(double fraction)
    {
        if (!(fraction >= 0 && fraction <= 1))
        {
            throw new InvalidInputException("--token-contrast", $"token contrast must be a fraction in [0, 1] (0 = off), got {fraction.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        }
    }

    /// <summary>The visible tokens to use: <paramref name="visible"/> narrowed when <paramref name="fraction"/> is on (above 0).</summary>
    public static bool[] Apply(float[] tokens, bool[] visible, int channels, double? fraction) =>
        fraction is > 0 ? Narrow(tokens, visible, channels, fraction.Value) : visible;

    private static int[] Indices(bool[] visible, bool value)
    {
        var list = new List<int>(visible.Length);
        for (var t = 0; t < visible.Length; t++)
        {
            if (visible[t] == value)
            {
                list.Add(t);
            }
        }

        return [.. list];
    }

    /// <summary>Inserts a distance into the sorted list of the smallest ones seen so far.</summary>
    private static void Keep(double[] nearest, double distance)
    {
        if (distance >= nearest[^1])
        {
            return;
        }

        var i = nearest.Length - 1;
        while (i > 0 && nearest[i - 1] > distance)
        {
            nearest[i] = nearest[i - 1];
            i--;
        }

        nearest[i] = distance;
    }

    private static double SquaredDistance(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var width = Vector<float>.Count;
        var sum = Vector<float>.Zero;
        var i = 0;
        for (; i <= a.Length - width; i += width)
        {
            var d = new Vector<float>(a[i..]) - new Vector<float>(b[i..]);
            sum += d * d;
        }

        double total = Vector.Sum(sum);
        for (; i < a.Length; i++)
        {
            var d = a[i] - b[i];
            total += d * d;
        }

        return total;
    }
}

/// <summary>Which token contrast each path takes unless told otherwise: one place for the CLI and the platform.</summary>
public static class TokenContrastDefaults
{
    /// <summary>Masks and maps that come with the images (ground truth, <c>discover --maps</c>, uploads with a map): off (parity).</summary>
    public const double MapsGiven = 0;

    /// <summary>Raw images scored by a line's detector: its blobs are wider than the defects.</summary>
    public const double DetectorMaps = 0.7;

    /// <summary>The default for regions cut from a detector's maps or from masks and maps given.</summary>
    public static double For(bool detectorMaps) => detectorMaps ? DetectorMaps : MapsGiven;

    /// <summary>The setting for one model trained on crops of both sources (a line's uploads): the majority's.</summary>
    public static double ForCrops(int fromDetectorMaps, int total) => For(2 * fromDetectorMaps > total);
}
