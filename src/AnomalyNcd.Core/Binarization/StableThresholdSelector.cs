namespace AnomalyNcd.Core.Binarization;

/// <summary>
/// Chooses the threshold from the component counts of the sweep exactly as the reference
/// <c>get_threshold</c> does (method-spec §5.4), ties included.
/// </summary>
public static class StableThresholdSelector
{
    /// <summary>
    /// The chosen stable interval, or null when no run of equal non-zero counts has at least
    /// <paramref name="minIntervalLength"/> indices.
    /// </summary>
    public static StableInterval? FindStableInterval(IReadOnlyList<int> counts, int minIntervalLength)
    {
        var kept = KeptRuns(counts, minIntervalLength);
        if (kept.Count == 0)
        {
            return null;
        }

        // best span per count value, in order of the value's first kept run (the reference's dict order)
        var values = new List<int>();
        var bestSpan = new Dictionary<int, int>();
        foreach (var run in kept)
        {
            if (bestSpan.TryGetValue(run.Count, out var span))
            {
                bestSpan[run.Count] = Math.Max(span, run.Span);
            }
            else
            {
                values.Add(run.Count);
                bestSpan[run.Count] = run.Span;
            }
        }

        var estimated = values[0];
        foreach (var value in values)
        {
            if (bestSpan[value] > bestSpan[estimated])
            {
                estimated = value; // strictly longer only: ties stay with the earlier-inserted value
            }
        }

        StableInterval? chosen = null;
        foreach (var run in kept)
        {
            if (run.Count == estimated && (chosen is null || run.Span >= chosen.Value.Span))
            {
                chosen = run; // >=: among equally long runs the latest wins
            }
        }

        return chosen;
    }

    /// <summary>
    /// The full choice for one map: the interval's end index j gives tn = 255 − SampleRate·j and the
    /// raw threshold T through the set's range; no interval gives T = 255 and no anomaly.
    /// </summary>
    public static MebinThreshold Select(IReadOnlyList<int> counts, MebinRange range, MebinOptions options)
    {
        var interval = FindStableInterval(counts, options.MinIntervalLength);
        if (interval is null)
        {
            return MebinThreshold.NoAnomaly;
        }

        var index = interval.Value.End;
        var normalized = options.NormalizedThresholdAt(index);
        return new MebinThreshold(range.ToRawThreshold(normalized), normalized, index, interval.Value.Count);
    }

    /// <summary>Maximal runs of equal values that are non-zero and have at least τ indices, in sequence order.</summary>
    public static IReadOnlyList<StableInterval> KeptRuns(IReadOnlyList<int> counts, int minIntervalLength)
    {
        var runs = new List<StableInterval>();
        var start = 0;
        while (start < counts.Count)
        {
            var end = start;
            while (end + 1 < counts.Count && counts[end + 1] == counts[start])
            {
                end++;
            }

            var run = new StableInterval(counts[start], start, end);
            if (run.Count != 0 && run.IndexCount >= minIntervalLength)
            {
                runs.Add(run);
            }

            start = end + 1;
        }

        return runs;
    }
}
