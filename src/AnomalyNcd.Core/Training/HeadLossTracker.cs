namespace AnomalyNcd.Core.Training;

/// <summary>
/// Collects head_cluster_h per processed batch of the current epoch and selects the head(s) with the
/// smallest epoch mean (method-spec §9.5). Only the last epoch counts, so each epoch starts afresh.
/// </summary>
public sealed class HeadLossTracker
{
    private readonly List<double>[] lossesPerHead;

    public HeadLossTracker(int headCount)
    {
        if (headCount <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(headCount), "at least one head is needed");
        }

        lossesPerHead = Enumerable.Range(0, headCount).Select(_ => new List<double>()).ToArray();
    }

    public int HeadCount => lossesPerHead.Length;

    public int BatchCount => lossesPerHead[0].Count;

    public void StartEpoch()
    {
        foreach (var losses in lossesPerHead)
        {
            losses.Clear();
        }
    }

    public void AddBatch(IReadOnlyList<double> headClusterLosses)
    {
        if (headClusterLosses.Count != lossesPerHead.Length)
        {
            throw new ArgumentException($"expected {lossesPerHead.Length} head losses, got {headClusterLosses.Count}", nameof(headClusterLosses));
        }

        for (var h = 0; h < lossesPerHead.Length; h++)
        {
            lossesPerHead[h].Add(headClusterLosses[h]);
        }
    }

    public double[] MeanLosses()
    {
        if (BatchCount == 0)
        {
            // The reference crashes here (B8); say why instead.
            throw new InvalidOperationException("no batch was processed in the epoch (every batch was all-labelled or all-unlabelled), so no head can be selected");
        }

        return lossesPerHead.Select(losses => losses.Average()).ToArray();
    }

    public int[] SelectedHeads() => HeadSelection.SelectBest(MeanLosses());
}
