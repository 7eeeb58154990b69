namespace AnomalyNcd.Core.Merging;

/// <summary>
/// Crop class probabilities restricted to the novel classes (method-spec §10.1–10.2): softmax of
/// logits / temperature, labelled classes 0..L−1 set to zero, renormalised over the novel classes.
/// </summary>
public static class NovelClassProbabilities
{
    /// <summary>The student temperature used for region merging.</summary>
    public const double StudentTemperature = 0.1;

    /// <summary>
    /// Equivalent to softmax, zeroing and renormalising, computed as a softmax over the novel logits
    /// only, so it stays finite when the labelled classes dominate (the direct form would give 0/0).
    /// </summary>
    public static double[] FromLogits(IReadOnlyList<double> logits, int labelledClassCount, double temperature = StudentTemperature)
    {
        if (labelledClassCount < 0 || labelledClassCount >= logits.Count)
        {
            throw new ArgumentOutOfRangeException(
                nameof(labelledClassCount), labelledClassCount, $"must leave at least one novel class among {logits.Count} logits");
        }

        if (!(temperature > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "temperature must be positive");
        }

        var probabilities = new double[logits.Count];
        var peak = double.NegativeInfinity;
        for (var c = labelledClassCount; c < logits.Count; c++)
        {
            peak = Math.Max(peak, logits[c] / temperature);
        }

        var total = 0.0;
        for (var c = labelledClassCount; c < logits.Count; c++)
        {
            probabilities[c] = Math.Exp((logits[c] / temperature) - peak);
            total += probabilities[c];
        }

        for (var c = labelledClassCount; c < logits.Count; c++)
        {
            probabilities[c] /= total;
        }

        return probabilities;
    }
}
