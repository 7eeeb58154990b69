using AnomalyNcd.Core.Discovery;
using AnomalyNcd.Core.Model;
using static TorchSharp.torch;

namespace AnomalyNcd.Core.Training;

/// <summary>
/// Gives a class that no crop chooses a group of crops again (as DeepCluster re-seeds its empty clusters): during the
/// first half of training, every few epochs, a novel class that wins fewer than <see cref="EmptyShare"/> of the
/// unlabelled crops' test views takes half of the class whose 2-means split lowers the within-class spread of the
/// CLS features most, the two directions set to that split's centres. On MTD with ground-truth masks the reference's
/// training left one of six classes empty while two kinds (Break and Fray) shared one (docs/RESULTS.md). The designated
/// normal class (the first novel one) is neither split nor refilled: pseudo-label correction owns it.
/// </summary>
public static class EmptyClassSplitting
{
    /// <summary>A class winning fewer than this share of the unlabelled crops counts as empty.</summary>
    public const double EmptyShare = 0.01;

    /// <summary>Epochs between checks.</summary>
    public const int Interval = 5;

    /// <summary>Whether a check runs after <paramref name="epoch"/> (0-based) of <paramref name="epochs"/>: every <see cref="Interval"/> epochs in the first half.</summary>
    public static bool DueAfter(int epoch, int epochs) => (epoch + 1) % Interval == 0 && epoch + 1 <= epochs / 2;

    /// <summary>Splits classes into every empty novel class of every head; returns how many directions were set.</summary>
    public static int Apply(DiscoveryNetwork network, FeatureBank bank, TrainingSamples samples, int seed, int batchSize = 64)
    {
        var novel = samples.UnlabelledIndices();
        var baseCount = samples.BaseClassCount;
        var classes = network.ClassCount - baseCount;
        if (classes < 3 || novel.Count < classes)
        {
            return 0;
        }

        var probabilities = NcdTrainer.PredictProbabilities(network, bank, novel, baseCount, batchSize);
        double[][]? features = null;
        var changed = 0;
        for (var h = 0; h < network.HeadCount; h++)
        {
            var winners = probabilities[h].Select(p => Common.Maximum.IndexOf<double>(p) - baseCount).ToArray();
            var plan = Plan(winners, classes, () => features ??= KMeansHeadInitialiser.UnitFeatures(network, bank, novel, batchSize), new Random(unchecked((seed * 7919) + h)));
            var directions = network.Heads.Head(h).Directions;
            using var noGrad = no_grad();
            foreach (var (target, centre) in plan)
            {
                directions[baseCount + target].copy_(tensor(Array.ConvertAll(centre, v => (float)v)).to(directions.device));
                changed++;
            }
        }

        return changed;
    }

    /// <summary>
    /// The directions to set: for each empty class (lowest index first, the normal class 0 excepted) the donor with the
    /// largest drop in squared spread under a 2-means split keeps one centre and the empty class takes the other.
    /// </summary>
    /// <param name="winners">Each crop's winning novel class (0-based, 0 = the designated normal class).</param>
    /// <param name="features">The crops' unit-length features, read only when some class is empty.</param>
    public static IReadOnlyList<(int Class, double[] Centre)> Plan(int[] winners, int classes, Func<double[][]> features, Random random)
    {
        var minimum = Math.Max(1, (int)Math.Ceiling(EmptyShare * winners.Length));
        var members = Enumerable.Range(0, classes).Select(c => Enumerable.Range(0, winners.Length).Where(i => winners[i] == c).ToList()).ToArray();
        var plan = new List<(int, double[])>();
        for (var empty = 1; empty < classes; empty++)
        {
            if (members[empty].Count >= minimum)
            {
                continue;
            }

            var points = features();
            var best = (Donor: -1, Gain: 0.0, Assignment: Array.Empty<int>(), Centres: Array.Empty<double[]>());
            for (var donor = 1; donor < classes; donor++)
            {
                if (donor == empty || members[donor].Count < 2 * minimum)
                {
                    continue;
                }

                var group = members[donor].Select(i => points[i]).ToArray();
                var (assignment, centres, spread) = ClassCountEstimator.KMeans(group, 2, random, restarts: 3);
                var mean = Mean(group);
                var gain = group.Sum(p => ClassCountEstimator.SquaredDistance(p, mean)) - spread;
                if (gain > best.Gain)
                {
                    best = (donor, gain, assignment, centres);
                }
            }

            if (best.Donor < 0)
            {
                continue;
            }

            plan.Add((best.Donor, best.Centres[0]));
            plan.Add((empty, best.Centres[1]));
            var moved = members[best.Donor].Where((_, k) => best.Assignment[k] == 1).ToList();
            members[best.Donor] = [.. members[best.Donor].Where((_, k) => best.Assignment[k] == 0)];
            members[empty] = [.. members[empty], .. moved];
        }

        return plan;
    }

    private static double[] Mean(double[][] points) =>
        [.. Enumerable.Range(0, points[0].Length).Select(d => points.Average(p => p[d]))];
}
