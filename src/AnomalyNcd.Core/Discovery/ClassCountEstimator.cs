using AnomalyNcd.Core.Training;

namespace AnomalyNcd.Core.Discovery;

/// <summary>
/// Estimates the number of novel classes when nobody knows it: every unlabelled crop is described by
/// the mean of its mask-visible frozen tokens (test view; all tokens for an empty mask), L2-normalised;
/// k-means (k-means++ seeding, best of several restarts) runs for k = 2..max, and the k with the highest
/// mean silhouette wins. Cheap, label-free, and independent of the trained heads.
/// </summary>
public static class ClassCountEstimator
{
    public sealed record Estimate(int Classes, IReadOnlyDictionary<int, double> SilhouetteByK);

    public static Estimate Run(FeatureBank bank, IReadOnlyList<int> crops, int maxClasses, int seed) =>
        FromPoints([.. crops.Select(c => Describe(bank, c))], maxClasses, seed);

    /// <summary>The silhouette search over unit-length descriptors, one per crop.</summary>
    public static Estimate FromPoints(double[][] points, int maxClasses, int seed)
    {
        var upper = Math.Min(maxClasses, points.Length - 1);
        if (upper < 2)
        {
            return new Estimate(1, new Dictionary<int, double>());
        }

        var distances = PairwiseDistances(points);
        var scores = new Dictionary<int, double>();
        for (var k = 2; k <= upper; k++)
        {
            var (assignment, _, _) = KMeans(points, k, new Random(unchecked((seed * 1_000_003) + k)), restarts: 5);
            scores[k] = MeanSilhouette(distances, assignment, k);
        }

        var best = scores.MaxBy(kv => kv.Value).Key;
        return new Estimate(best, scores);
    }

    /// <summary>The crop's test-view tokens that its mask shows (all of them for an empty mask), averaged and L2-normalised.</summary>
    internal static double[] Describe(FeatureBank bank, int crop)
    {
        var (tokens, visible) = bank.Batch([crop], [bank.TestView]);
        using (tokens)
        using (visible)
        {
            return MaskedMean(tokens.data<float>().ToArray(), visible.data<bool>().ToArray(), bank.Channels);
        }
    }

    /// <summary>The mean of the visible tokens (of all when none is visible), L2-normalised; <paramref name="values"/> is token-major.</summary>
    internal static double[] MaskedMean(ReadOnlySpan<float> values, ReadOnlySpan<bool> visible, int channels)
    {
        var any = visible.Contains(true);
        var mean = new double[channels];
        for (var t = 0; t < visible.Length; t++)
        {
            if (any && !visible[t])
            {
                continue;
            }

            for (var c = 0; c < channels; c++)
            {
                mean[c] += values[(t * channels) + c];
            }
        }

        var norm = Math.Sqrt(mean.Sum(v => v * v));
        return [.. mean.Select(v => norm > 0 ? v / norm : 0)];
    }

    private static double[,] PairwiseDistances(double[][] points)
    {
        var d = new double[points.Length, points.Length];
        for (var i = 0; i < points.Length; i++)
        {
            for (var j = i + 1; j < points.Length; j++)
            {
                var sum = 0.0;
                for (var c = 0; c < points[i].Length; c++)
                {
                    var diff = points[i][c] - points[j][c];
                    sum += diff * diff;
                }

                d[i, j] = d[j, i] = Math.Sqrt(sum);
            }
        }

        return d;
    }

    /// <summary>Lloyd's k-means, best of <paramref name="restarts"/> k-means++ starts: each point's cluster, the centres and the squared spread about them.</summary>
    internal static (int[] Assignment, double[][] Centres, double Inertia) KMeans(double[][] points, int k, Random random, int restarts)
    {
        int[]? best = null;
        double[][]? bestCentres = null;
        var bestInertia = double.PositiveInfinity;
        for (var r = 0; r < restarts; r++)
        {
            var centres = SeedCentres(points, k, random);
            var assignment = new int[points.Length];
            double inertia = 0;
            for (var iteration = 0; iteration < 50; iteration++)
            {
                inertia = 0;
                var changed = false;
                for (var i = 0; i < points.Length; i++)
                {
                    var (nearest, distance) = Nearest(points[i], centres);
                    inertia += distance;
                    changed |= nearest != assignment[i];
                    assignment[i] = nearest;
                }

                if (!changed && iteration > 0)
                {
                    break;
                }

                for (var c = 0; c < k; c++)
                {
                    var members = Enumerable.Range(0, points.Length).Where(i => assignment[i] == c).ToList();
                    if (members.Count > 0)
                    {
                        centres[c] = Enumerable.Range(0, points[0].Length).Select(d => members.Average(i => points[i][d])).ToArray();
                    }
                }
            }

            if (inertia < bestInertia)
            {
                bestInertia = inertia;
                best = (int[])assignment.Clone();
                bestCentres = centres;
            }
        }

        return (best!, bestCentres!, bestInertia);
    }

    private static double[][] SeedCentres(double[][] points, int k, Random random)
    {
        var centres = new List<double[]> { points[random.Next(points.Length)] };
        while (centres.Count < k)
        {
            var weights = points.Select(p => Nearest(p, centres).Distance).ToArray();
            var total = weights.Sum();
            var pick = random.NextDouble() * total;
            var index = 0;
            for (var acc = weights[0]; acc < pick && index < points.Length - 1; acc += weights[++index])
            {
            }

            centres.Add(points[index]);
        }

        return [.. centres.Select(c => (double[])c.Clone())];
    }

    private static (int Index, double Distance) Nearest(double[] point, IReadOnlyList<double[]> centres)
    {
        var best = (Index: 0, Distance: double.PositiveInfinity);
        for (var c = 0; c < centres.Count; c++)
        {
            var sum = SquaredDistance(point, centres[c]);
            if (sum < best.Distance)
            {
                best = (c, sum);
            }
        }

        return best;
    }

    /// <summary>Squared Euclidean distance of two descriptors of the same dimension.</summary>
    internal static double SquaredDistance(double[] a, double[] b)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException($"descriptors of {a.Length} and {b.Length} dimensions cannot be compared");
        }

        var sum = 0.0;
        for (var d = 0; d < a.Length; d++)
        {
            var diff = a[d] - b[d];
            sum += diff * diff;
        }

        return sum;
    }

    internal static double MeanSilhouette(double[,] distances, int[] assignment, int k)
    {
        var n = assignment.Length;
        var total = 0.0;
        for (var i = 0; i < n; i++)
        {
            var sums = new double[k];
            var counts = new int[k];
            for (var j = 0; j < n; j++)
            {
                if (j != i)
                {
                    sums[assignment[j]] += distances[i, j];
                    counts[assignment[j]]++;
                }
            }

            var own = assignment[i];
            if (counts[own] == 0)
            {
                continue; // singleton clusters score 0, as sklearn does
            }

            var a = sums[own] / counts[own];
            var b = Enumerable.Range(0, k).Where(c => c != own && counts[c] > 0).Select(c => sums[c] / counts[c]).DefaultIfEmpty(0).Min();
            var denominator = Math.Max(a, b);
            total += denominator > 0 ? (b - a) / denominator : 0;
        }

        return total / n;
    }
}
