namespace AnomalyNcd.Analytics.Clustering;

/// <summary>
/// NMI, ARI and Hungarian-matched F1 (accuracy) of a clustering against ground-truth classes, with the
/// semantics of scikit-learn 1.3 that the paper's code calls (method-spec §10.3).
/// </summary>
public static class ClusteringEvaluator
{
    public static ClusteringMetrics Evaluate(IReadOnlyList<string> trueLabels, IReadOnlyList<string> predicted) =>
        Evaluate(ContingencyTable.FromLabels(trueLabels, predicted));

    public static ClusteringMetrics Evaluate(IReadOnlyList<int> trueLabels, IReadOnlyList<int> predicted) =>
        Evaluate(ContingencyTable.FromLabels(trueLabels, predicted));

    public static ClusteringMetrics Evaluate(ContingencyTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (table.Total == 0)
        {
            throw new ArgumentException("cannot evaluate an empty clustering (no samples)", nameof(table));
        }

        var classOfCluster = ClusterMatching.MatchClustersToClasses(table);
        var clusterOfClass = new int[table.Classes.Count];
        Array.Fill(clusterOfClass, -1);
        var mapping = new List<ClusterAssignment>(table.Clusters.Count);
        var correctTotal = 0;
        for (var k = 0; k < table.Clusters.Count; k++)
        {
            var c = classOfCluster[k];
            var correct = c >= 0 ? table[k, c] : 0;
            if (c >= 0)
            {
                clusterOfClass[c] = k;
            }

            correctTotal += correct;
            mapping.Add(new ClusterAssignment(table.Clusters[k], c >= 0 ? table.Classes[c] : null, table.ClusterSizes[k], correct));
        }

        var perClass = new List<ClassScores>(table.Classes.Count);
        for (var c = 0; c < table.Classes.Count; c++)
        {
            var k = clusterOfClass[c];
            var predictedCount = k >= 0 ? table.ClusterSizes[k] : 0;
            var correct = k >= 0 ? table[k, c] : 0;
            var precision = predictedCount == 0 ? 0.0 : (double)correct / predictedCount;
            var recall = (double)correct / table.ClassSizes[c];
            var f1 = precision + recall == 0 ? 0.0 : 2 * precision * recall / (precision + recall);
            perClass.Add(new ClassScores(table.Classes[c], table.ClassSizes[c], predictedCount, correct, precision, recall, f1));
        }

        return new ClusteringMetrics(
            NormalizedMutualInformation(table),
            AdjustedRandIndex(table),
            (double)correctTotal / table.Total,
            perClass.Average(s => s.F1),
            table.Total,
            perClass,
            mapping);
    }

    /// <summary>
    /// MI / ((H(true) + H(pred)) / 2) with natural logarithms. As in sklearn: 1.0 when both labelings have a
    /// single label (or no samples), 0.0 when the mutual information is 0.
    /// </summary>
    public static double NormalizedMutualInformation(ContingencyTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (table.Classes.Count == table.Clusters.Count && table.Classes.Count <= 1)
        {
            return 1.0;
        }

        double n = table.Total;
        var mutualInformation = 0.0;
        for (var k = 0; k < table.Clusters.Count; k++)
        {
            for (var c = 0; c < table.Classes.Count; c++)
            {
                var joint = table[k, c];
                if (joint > 0)
                {
                    mutualInformation += joint / n * Math.Log(n * joint / ((double)table.ClassSizes[c] * table.ClusterSizes[k]));
                }
            }
        }

        // Rounding can push an independent table's MI a hair below zero; sklearn clips it too.
        mutualInformation = Math.Max(mutualInformation, 0.0);
        if (mutualInformation == 0.0)
        {
            return 0.0;
        }

        var normaliser = (Entropy(table.ClassSizes, n) + Entropy(table.ClusterSizes, n)) / 2;
        return mutualInformation / normaliser;
    }

    /// <summary>
    /// Adjusted Rand index from the pair-confusion counts (Hubert–Arabie). As in sklearn: 1.0 when no pair
    /// is split by one labeling and joined by the other (this covers empty input, identical partitions,
    /// both all-one-cluster and both all-singletons).
    /// </summary>
    public static double AdjustedRandIndex(ContingencyTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        // Ordered-pair counts (each unordered pair counted twice), as sklearn's pair_confusion_matrix.
        double n = table.Total;
        var sumSquares = 0.0;
        for (var k = 0; k < table.Clusters.Count; k++)
        {
            for (var c = 0; c < table.Classes.Count; c++)
            {
                sumSquares += (double)table[k, c] * table[k, c];
            }
        }

        var classSquares = table.ClassSizes.Sum(a => (double)a * a);
        var clusterSquares = table.ClusterSizes.Sum(b => (double)b * b);
        var togetherInBoth = sumSquares - n;
        var sameClusterOnly = clusterSquares - sumSquares;
        var sameClassOnly = classSquares - sumSquares;
        var apartInBoth = (n * n) - sameClusterOnly - sameClassOnly - sumSquares;
        if (sameClusterOnly == 0 && sameClassOnly == 0)
        {
            return 1.0;
        }

        return 2.0 * ((togetherInBoth * apartInBoth) - (sameClassOnly * sameClusterOnly))
            / (((togetherInBoth + sameClassOnly) * (sameClassOnly + apartInBoth)) + ((togetherInBoth + sameClusterOnly) * (sameClusterOnly + apartInBoth)));
    }

    private static double Entropy(int[] sizes, double n)
    {
        var h = 0.0;
        foreach (var size in sizes)
        {
            if (size > 0)
            {
                var p = size / n;
                h -= p * Math.Log(p);
            }
        }

        return h;
    }
}
