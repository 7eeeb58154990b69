namespace AnomalyNcd.Core.Training;

/// <summary>Head selection of method-spec §9.5: every head whose loss equals the minimum (exact ties all count).</summary>
public static class HeadSelection
{
    public static int[] SelectBest(IReadOnlyList<double> headLosses)
    {
        var finite = Enumerable.Range(0, headLosses.Count).Where(h => !double.IsNaN(headLosses[h])).ToArray();
        if (finite.Length == 0)
        {
            throw new ArgumentException("no head has a comparable (non-NaN) loss", nameof(headLosses));
        }

        var minimum = finite.Min(h => headLosses[h]);
        return finite.Where(h => headLosses[h] == minimum).ToArray();
    }
}
