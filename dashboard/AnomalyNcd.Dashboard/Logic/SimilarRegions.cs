using AnomalyNcd.Contracts.Regions;

namespace AnomalyNcd.Dashboard.Logic;

/// <summary>A region and its cosine similarity to the query region (1 same direction, 0 unrelated, −1 opposite).</summary>
public sealed record SimilarRegion(RegionResult Region, double Similarity);

/// <summary>"Find more like this": the regions whose embeddings point most nearly the same way as the query's.</summary>
public static class SimilarRegions
{
    public const int DefaultTop = 24;

    /// <summary>
    /// The <paramref name="top"/> candidates most similar to <paramref name="query"/>, most similar first (ties in
    /// candidate order). The query region itself, regions of other lines, regions without an embedding, and vectors
    /// of another length or zero length are skipped.
    /// </summary>
    public static IReadOnlyList<SimilarRegion> Nearest(
        RegionKey query,
        IReadOnlyList<float> queryVector,
        IEnumerable<(RegionResult Region, IReadOnlyList<float>? Vector)> candidates,
        int top = DefaultTop)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(top);
        var queryNorm = Norm(queryVector);
        if (queryNorm == 0)
        {
            return [];
        }

        return candidates
            .Where(c => c.Vector is { } v && v.Count == queryVector.Count && c.Region.Key != query
                        && string.Equals(c.Region.Key.LineId, query.LineId, StringComparison.Ordinal))
            .Select(c => (c.Region, Norm: Norm(c.Vector!), c.Vector))
            .Where(c => c.Norm > 0)
            .Select(c => new SimilarRegion(c.Region, Dot(queryVector, c.Vector!) / (queryNorm * c.Norm)))
            .OrderByDescending(s => s.Similarity)
            .Take(top)
            .ToList();
    }

    public static double Cosine(IReadOnlyList<float> a, IReadOnlyList<float> b)
    {
        if (a.Count != b.Count)
        {
            throw new ArgumentException($"vectors of length {a.Count} and {b.Count} cannot be compared");
        }

        var norms = Norm(a) * Norm(b);
        return norms == 0 ? 0 : Dot(a, b) / norms;
    }

    private static double Dot(IReadOnlyList<float> a, IReadOnlyList<float> b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Count; i++)
        {
            sum += (double)a[i] * b[i];
        }

        return sum;
    }

    private static double Norm(IReadOnlyList<float> v) => Math.Sqrt(Dot(v, v));
}
