namespace AnomalyNcd.Core.Metrics;

/// <summary>
/// Area under the ROC curve from ranks (Mann–Whitney U): the chance that a random positive scores above a random
/// negative, ties counting one half (tied scores share their average rank).
/// </summary>
public static class Auroc
{
    /// <returns>AUROC in [0, 1]; NaN when there are no positives or no negatives.</returns>
    public static double Compute(IReadOnlyList<double> scores, IReadOnlyList<bool> positive)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(positive);
        if (scores.Count != positive.Count)
        {
            throw new ArgumentException($"{scores.Count} scores but {positive.Count} labels.", nameof(positive));
        }

        if (scores.Any(double.IsNaN))
        {
            throw new ArgumentException("Scores contain NaN.", nameof(scores));
        }

        var order = Enumerable.Range(0, scores.Count).OrderBy(i => scores[i]).ToArray();
        double positiveRankSum = 0;
        long positives = 0;
        var start = 0;
        while (start < order.Length)
        {
            var end = start;
            while (end + 1 < order.Length && scores[order[end + 1]] == scores[order[start]])
            {
                end++;
            }

            var averageRank = (start + end) / 2.0 + 1; // ranks are 1-based
            for (var k = start; k <= end; k++)
            {
                if (positive[order[k]])
                {
                    positiveRankSum += averageRank;
                    positives++;
                }
            }

            start = end + 1;
        }

        long negatives = scores.Count - positives;
        if (positives == 0 || negatives == 0)
        {
            return double.NaN;
        }

        var u = positiveRankSum - positives * (positives + 1) / 2.0;
        return u / ((double)positives * negatives);
    }
}
