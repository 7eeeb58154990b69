using System.Numerics;

namespace AnomalyNcd.Core.Common;

/// <summary>Where the largest value is: the arg max of class probabilities and the worst kept candidate of a shortlist.</summary>
internal static class Maximum
{
    /// <summary>Index of the largest value (the first of equal ones); 0 for an empty span.</summary>
    public static int IndexOf<T>(ReadOnlySpan<T> values)
        where T : IComparisonOperators<T, T, bool>
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }

        return best;
    }
}
