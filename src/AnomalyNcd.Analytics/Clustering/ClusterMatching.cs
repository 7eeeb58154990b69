namespace AnomalyNcd.Analytics.Clustering;

/// <summary>
/// One-to-one mapping of predicted clusters to true classes that maximises the number of samples on
/// matched pairs (the paper's evaluation, method-spec §10.3 step 2). When there are more clusters than
/// classes the surplus clusters stay unmatched and all their samples count as wrong; the paper's code
/// gets the same result by mapping them to class indices that no sample has.
/// </summary>
public static class ClusterMatching
{
    /// <returns>For each cluster of <paramref name="table"/> the index of its class, or -1 when unmatched.</returns>
    public static int[] MatchClustersToClasses(ContingencyTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var gain = new double[table.Clusters.Count, table.Classes.Count];
        for (var k = 0; k < table.Clusters.Count; k++)
        {
            for (var c = 0; c < table.Classes.Count; c++)
            {
                gain[k, c] = table[k, c];
            }
        }

        return LinearAssignment.Maximize(gain);
    }
}
