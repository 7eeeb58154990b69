using AnomalyNcd.Analytics.Clustering;
using AnomalyNcd.Core.Model;
using AnomalyNcd.Core.Training;
using static TorchSharp.torch;

namespace AnomalyNcd.Core.Tests.Training;

[Collection(TorchGlobalRandomCollection.Name)]
public class KMeansHeadInitialiserTests
{
    [Fact]
    public void Apply_SeparableCrops_EveryNovelClassStartsOnOneGroup_TheLowScoreGroupOnTheNormalClass()
    {
        using var scope = NewDisposeScope();
        manual_seed(11);
        const int novel = 3;
        var (bank, samples, truth) = NcdTrainerTests.SyntheticBank(perClass: 20, novel, baseClasses: 0, seed: 4);
        // The second kind scores low, as crops of normal texture do.
        var scored = samples with { Scores = [.. truth.Select(t => t == 1 ? 0.1 : 1.0)] };
        using var network = new DiscoveryNetwork(new TokenEncoderConfig(8, 16, EmbedDim: 16, Heads: 2, Blocks: 1), novel, headCount: 2);
        var crops = scored.UnlabelledIndices();

        KMeansHeadInitialiser.Apply(network, bank, scored, seed: 1);

        foreach (var head in NcdTrainer.PredictProbabilities(network, bank, crops, 0))
        {
            var predicted = head.Select(p => Array.IndexOf(p, p.Max())).ToArray();
            Assert.True(ClusteringEvaluator.Evaluate(truth, predicted).F1 > 0.9);
            Assert.Equal(novel, predicted.Distinct().Count());
            var lowScoreClass = Enumerable.Range(0, truth.Length).Where(i => truth[i] == 1).GroupBy(i => predicted[i]).MaxBy(g => g.Count())!.Key;
            Assert.Equal(0, lowScoreClass);
        }
    }

    [Fact]
    public void Apply_LeavesTheBaseClassDirectionsAsTheyWere()
    {
        using var scope = NewDisposeScope();
        manual_seed(12);
        var (bank, samples, _) = NcdTrainerTests.SyntheticBank(perClass: 10, novelClasses: 2, baseClasses: 2, seed: 6);
        using var network = new DiscoveryNetwork(new TokenEncoderConfig(8, 16, EmbedDim: 16, Heads: 2, Blocks: 1), 4, headCount: 1);
        var before = network.Heads.Head(0).Directions.detach().clone();

        KMeansHeadInitialiser.Apply(network, bank, samples, seed: 1);

        var after = network.Heads.Head(0).Directions.detach();
        Assert.True(after[..2].allclose(before[..2], rtol: 0, atol: 0));
        Assert.False(after[2..].allclose(before[2..]));
    }
}
