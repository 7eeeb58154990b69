using AnomalyNcd.Core.Discovery;
using AnomalyNcd.Core.Model;
using static TorchSharp.torch;

namespace AnomalyNcd.Core.Training;

/// <summary>How the novel-class directions of the cosine classifier heads start.</summary>
public enum HeadInitialisation
{
    /// <summary>Uniform ±1/√D, PyTorch's Linear default (the reference).</summary>
    Random,

    /// <summary>
    /// The centres of a k-means over the untrained network's features of the unlabelled crops, one k-means per head:
    /// every novel class starts on a group of crops, so none starts where no crop is and never wins one.
    /// </summary>
    KMeans,
}

/// <summary>Sets the heads' novel-class directions to k-means centres (see <see cref="HeadInitialisation.KMeans"/>).</summary>
public static class KMeansHeadInitialiser
{
    /// <param name="network">The untrained network; its base-class directions are left as they are.</param>
    /// <param name="bank">Cached tokens of every crop.</param>
    /// <param name="samples">Labels and crop scores; the unlabelled crops are clustered.</param>
    /// <param name="seed">Seeds the k-means of head h with seed + h.</param>
    /// <param name="unitFeatures">The network's <see cref="UnitFeatures"/> of the unlabelled crops when the caller has them already.</param>
    public static void Apply(DiscoveryNetwork network, FeatureBank bank, TrainingSamples samples, int seed, int batchSize = 64, double[][]? unitFeatures = null)
    {
        var novel = samples.UnlabelledIndices();
        var classes = network.ClassCount - samples.BaseClassCount;
        if (novel.Count < classes || classes < 1)
        {
            return;
        }

        var features = unitFeatures ?? UnitFeatures(network, bank, novel, batchSize);
        for (var h = 0; h < network.HeadCount; h++)
        {
            var (assignment, centres, _) = ClassCountEstimator.KMeans(features, classes, new Random(seed + h), restarts: 4);
            // The designated normal class (the first novel one) takes the group with the lowest mean crop score:
            // pseudo-label correction pulls low-score crops towards it.
            var order = Enumerable.Range(0, classes)
                .OrderBy(c => MeanScore(novel, assignment, c, samples.Scores))
                .ThenBy(c => c)
                .ToArray();
            var directions = network.Heads.Head(h).Directions;
            using var noGrad = no_grad();
            for (var k = 0; k < classes; k++)
            {
                directions[samples.BaseClassCount + k].copy_(tensor(Array.ConvertAll(centres[order[k]], v => (float)v)).to(directions.device));
            }
        }
    }

    /// <summary>Unit-length CLS features of the crops' test views.</summary>
    internal static double[][] UnitFeatures(DiscoveryNetwork network, FeatureBank bank, IReadOnlyList<int> crops, int batchSize)
    {
        var result = new double[crops.Count][];
        NcdTrainer.ForEachTestBatch(network, bank, crops, batchSize, (start, tokens, visible) =>
        {
            var features = nn.functional.normalize(network.Features(tokens, visible), p: 2.0, dim: 1);
            var values = features.to_type(ScalarType.Float64).cpu().data<double>().ToArray();
            var dim = (int)features.shape[1];
            for (var row = 0; row < features.shape[0]; row++)
            {
                result[start + row] = values[(row * dim)..((row + 1) * dim)];
            }
        });
        return result;
    }

    private static double MeanScore(IReadOnlyList<int> novel, int[] assignment, int cluster, IReadOnlyList<double> scores)
    {
        var members = Enumerable.Range(0, novel.Count).Where(i => assignment[i] == cluster).ToList();
        return members.Count == 0 ? double.PositiveInfinity : members.Average(i => scores[novel[i]]);
    }
}
