using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AnomalyNcd.Core.Detection;

/// <summary>Full-dimension distances: the last step of both shortlist searches, and the coreset's distance.</summary>
internal static class CandidateRefinement
{
    /// <summary>Distance from <paramref name="query"/> to the nearest of the <paramref name="candidates"/> (rows of <paramref name="bank"/>, row-major).</summary>
    public static float Nearest(ReadOnlySpan<float> query, float[] bank, ReadOnlySpan<int> candidates)
    {
        var dimension = query.Length;
        var best = float.PositiveInfinity;
        foreach (var candidate in candidates)
        {
            best = Math.Min(best, SquaredDistance(query, bank.AsSpan(candidate * dimension, dimension)));
        }

        return MathF.Sqrt(best);
    }

    /// <summary>‖a − b‖², SIMD over <see cref="Vector{T}"/> lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float SquaredDistance(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var lanes = Vector<float>.Count;
        var sum = Vector<float>.Zero;
        var va = MemoryMarshal.Cast<float, Vector<float>>(a);
        var vb = MemoryMarshal.Cast<float, Vector<float>>(b);
        for (var i = 0; i < va.Length; i++)
        {
            var d = va[i] - vb[i];
            sum += d * d;
        }

        var total = Vector.Sum(sum);
        for (var i = va.Length * lanes; i < a.Length; i++)
        {
            var d = a[i] - b[i];
            total += d * d;
        }

        return total;
    }
}
