using System.Globalization;

namespace AnomalyNcd.Analytics.Clustering;

/// <summary>
/// Counts of samples per (predicted cluster, true class). Classes and clusters are the distinct labels
/// that occur, sorted (ordinal for strings, numeric for integers) so that the table and every
/// tie-break downstream depend only on the labels, not on the order of the samples.
/// </summary>
public sealed class ContingencyTable
{
    private readonly int[,] _counts;

    private ContingencyTable(IReadOnlyList<string> classes, IReadOnlyList<string> clusters, int[,] counts, int total)
    {
        Classes = classes;
        Clusters = clusters;
        _counts = counts;
        Total = total;
        ClassSizes = new int[classes.Count];
        ClusterSizes = new int[clusters.Count];
        for (var k = 0; k < clusters.Count; k++)
        {
            for (var c = 0; c < classes.Count; c++)
            {
                ClassSizes[c] += counts[k, c];
                ClusterSizes[k] += counts[k, c];
            }
        }
    }

    /// <summary>Ground-truth class names, sorted.</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>Predicted cluster names, sorted.</summary>
    public IReadOnlyList<string> Clusters { get; }

    /// <summary>Number of samples.</summary>
    public int Total { get; }

    /// <summary>Samples per true class (row sums over clusters).</summary>
    public int[] ClassSizes { get; }

    /// <summary>Samples per predicted cluster.</summary>
    public int[] ClusterSizes { get; }

    /// <summary>Samples predicted as cluster <paramref name="cluster"/> whose true class is <paramref name="trueClass"/>.</summary>
    public int this[int cluster, int trueClass] => _counts[cluster, trueClass];

    public static ContingencyTable FromLabels(IReadOnlyList<string> trueLabels, IReadOnlyList<string> predicted) =>
        Build(trueLabels, predicted, StringComparer.Ordinal, s => s);

    public static ContingencyTable FromLabels(IReadOnlyList<int> trueLabels, IReadOnlyList<int> predicted) =>
        Build(trueLabels, predicted, Comparer<int>.Default, i => i.ToString(CultureInfo.InvariantCulture));

    private static ContingencyTable Build<T>(IReadOnlyList<T> trueLabels, IReadOnlyList<T> predicted, IComparer<T> order, Func<T, string> name)
        where T : notnull
    {
        ArgumentNullException.ThrowIfNull(trueLabels);
        ArgumentNullException.ThrowIfNull(predicted);
        if (trueLabels.Count != predicted.Count)
        {
            throw new ArgumentException($"label lists differ in length: {trueLabels.Count} true, {predicted.Count} predicted", nameof(predicted));
        }

        var classes = trueLabels.Distinct().Order(order).ToList();
        var clusters = predicted.Distinct().Order(order).ToList();
        var classIndex = classes.Select((label, i) => (label, i)).ToDictionary(x => x.label, x => x.i);
        var clusterIndex = clusters.Select((label, i) => (label, i)).ToDictionary(x => x.label, x => x.i);
        var counts = new int[clusters.Count, classes.Count];
        for (var i = 0; i < trueLabels.Count; i++)
        {
            counts[clusterIndex[predicted[i]], classIndex[trueLabels[i]]]++;
        }

        return new ContingencyTable(classes.Select(name).ToList(), clusters.Select(name).ToList(), counts, trueLabels.Count);
    }
}
