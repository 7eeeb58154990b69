using AnomalyNcd.Analytics.Clustering;
using AnomalyNcd.Core.Model;
using AnomalyNcd.Core.Training;
using static TorchSharp.torch;

namespace AnomalyNcd.Core.Tests.Training;

[Collection(TorchGlobalRandomCollection.Name)]
public class NcdTrainerTests
{
    private const int Tokens = 16;
    private const int Channels = 8;

    /// <summary>
    /// Crops of <paramref name="classes"/> kinds whose visible tokens carry a class-specific direction and
    /// whose hidden tokens carry strong distracting noise; base crops are labelled 0..base-1.
    /// </summary>
    internal static (FeatureBank Bank, TrainingSamples Samples, int[] TrueNovel) SyntheticBank(int perClass, int novelClasses, int baseClasses, int seed)
    {
        var random = new Random(seed);
        var directions = Enumerable.Range(0, novelClasses + baseClasses)
            .Select(_ => Enumerable.Range(0, Channels).Select(_ => random.NextDouble() * 2 - 1).ToArray()).ToArray();
        var count = perClass * (novelClasses + baseClasses);
        var bank = new FeatureBank(count, trainViews: 3, Tokens, Channels);
        var labels = new int[count];
        var scores = new double[count];
        var truth = new List<int>();
        for (var i = 0; i < count; i++)
        {
            var cls = i / perClass;
            labels[i] = cls < baseClasses ? cls : -1;
            scores[i] = 1.0;
            if (cls >= baseClasses)
            {
                truth.Add(cls - baseClasses);
            }

            for (var view = 0; view <= bank.TrainViews; view++)
            {
                var tokens = new float[Tokens * Channels];
                var visible = new bool[Tokens];
                for (var t = 0; t < Tokens; t++)
                {
                    visible[t] = t < 4 + random.Next(3);
                    for (var c = 0; c < Channels; c++)
                    {
                        tokens[t * Channels + c] = (float)(visible[t]
                            ? directions[cls][c] + 0.3 * (random.NextDouble() - 0.5)
                            : 3 * (random.NextDouble() - 0.5));
                    }
                }

                bank.Set(i, view, tokens, visible);
            }
        }

        return (bank, new TrainingSamples(labels, scores, baseClasses), [.. truth]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void Train_SeparableSyntheticTokens_DiscoversNovelClassesWellAboveChance(int baseClasses)
    {
        using var scope = NewDisposeScope();
        manual_seed(7);
        const int novel = 3;
        var (bank, samples, truth) = SyntheticBank(perClass: 24, novel, baseClasses, seed: 5);
        var options = new NcdTrainingOptions { Epochs = 12, BatchSize = 16, LearningRate = 0.05, Seed = 1 };
        using var network = new DiscoveryNetwork(new TokenEncoderConfig(Channels, Tokens, EmbedDim: 16, Heads: 2, Blocks: 1), baseClasses + novel, headCount: 2);
        using var optimizer = NcdOptimizer.Create(network.named_parameters(), options.LearningRate);

        var (history, selected) = new NcdTrainer(bank, samples, options).Train(network, optimizer);

        Assert.Equal(options.Epochs, history.Count);
        Assert.All(history, log => Assert.True(double.IsFinite(log.MeanLoss)));
        Assert.NotEmpty(selected);
        var novelCrops = samples.UnlabelledIndices();
        var probabilities = NcdTrainer.PredictProbabilities(network, bank, novelCrops, baseClasses)[selected[0]];
        var predicted = probabilities.Select(p => Array.IndexOf(p, p.Max())).ToArray();
        Assert.All(predicted, p => Assert.InRange(p, baseClasses, baseClasses + novel - 1));
        var metrics = ClusteringEvaluator.Evaluate(truth, predicted);
        Assert.True(metrics.F1 > 0.8, $"matched accuracy {metrics.F1:0.000}, NMI {metrics.Nmi:0.000}");
    }

    [Fact]
    public void PredictProbabilities_AllViews_IsTheMeanOverTheTestAndTrainingViews()
    {
        using var scope = NewDisposeScope();
        manual_seed(11);
        const int baseClasses = 1;
        var (bank, samples, _) = SyntheticBank(perClass: 6, novelClasses: 3, baseClasses, seed: 4);
        using var network = new DiscoveryNetwork(new TokenEncoderConfig(Channels, Tokens, EmbedDim: 8, Heads: 2, Blocks: 1), baseClasses + 3, headCount: 2);
        var crops = samples.UnlabelledIndices();

        var test = NcdTrainer.PredictProbabilities(network, bank, crops, baseClasses);
        var all = NcdTrainer.PredictProbabilities(network, bank, crops, baseClasses, views: PredictionViews.All);
        var perView = Enumerable.Range(0, bank.TrainViews + 1).Select(v => NcdTrainer.PredictProbabilities(network, bank, crops, baseClasses, [v])).ToArray();

        var largestViewEffect = 0.0;
        for (var h = 0; h < network.HeadCount; h++)
        {
            for (var k = 0; k < crops.Count; k++)
            {
                Assert.Equal(perView[bank.TestView][h][k], test[h][k]); // the reference's prediction is the test view's, unchanged
                Assert.Equal(0.0, all[h][k][0]);                       // no probability for the base class
                Assert.Equal(1.0, all[h][k].Sum(), 9);
                for (var c = 0; c < all[h][k].Length; c++)
                {
                    var mean = perView.Average(view => view[h][k][c]);
                    Assert.Equal(mean, all[h][k][c], 12);
                    largestViewEffect = Math.Max(largestViewEffect, Math.Abs(all[h][k][c] - test[h][k][c]));
                }
            }
        }

        // The views differ (noisy tokens per view), so averaging must move some probability.
        Assert.True(largestViewEffect > 1e-4, $"averaging over views changed no probability by more than {largestViewEffect:E1}");
    }

    [Fact]
    public void Checkpoint_SaveAndLoad_GivesIdenticalPredictions()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var (bank, samples, _) = SyntheticBank(perClass: 6, novelClasses: 2, baseClasses: 0, seed: 9);
        var config = new TokenEncoderConfig(Channels, Tokens, EmbedDim: 8, Heads: 2, Blocks: 1);
        using var network = new DiscoveryNetwork(config, 2, headCount: 2);
        using var optimizer = NcdOptimizer.Create(network.named_parameters(), 0.01);
        var options = new NcdTrainingOptions { Epochs = 2, BatchSize = 4 };
        var (history, _) = new NcdTrainer(bank, samples, options).Train(network, optimizer);
        using var folder = TestData.NewTempFolder();
        var checkpoint = new TrainingCheckpoint(1, 2, [], ["a", "b"], config, 2, options.Seed, options.LearningRate, history);

        checkpoint.Save(folder.Path, network, optimizer);
        var metadata = TrainingCheckpoint.ReadMetadata(folder.Path);
        using var restored = metadata.LoadNetwork(folder.Path);

        Assert.Equal(1, metadata.Epoch);
        Assert.Equal(["a", "b"], metadata.NovelClasses);
        var crops = Enumerable.Range(0, bank.Count).ToArray();
        var before = NcdTrainer.PredictProbabilities(network, bank, crops, 0);
        var after = NcdTrainer.PredictProbabilities(restored, bank, crops, 0);
        // Equal up to the CPU kernels' summation order: the same weights gave probabilities 5.6e-12 apart between two
        // forward passes (seen on ba14768 too, when this test ran alone); a wrong or partial load differs by far more.
        AssertClose(before[0][3], after[0][3]);
        AssertClose(before[1][5], after[1][5]);
    }

    private static void AssertClose(IReadOnlyList<double> expected, IReadOnlyList<double> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i], actual[i], 1e-9);
        }
    }

    [Fact]
    public void Checkpoint_Resume_ContinuesFromTheNextEpochWithRestoredState()
    {
        using var scope = NewDisposeScope();
        manual_seed(8);
        var (bank, samples, _) = SyntheticBank(perClass: 8, novelClasses: 2, baseClasses: 1, seed: 4);
        var config = new TokenEncoderConfig(Channels, Tokens, EmbedDim: 8, Heads: 2, Blocks: 1);
        var options = new NcdTrainingOptions { Epochs = 4, BatchSize = 8 };
        using var folder = TestData.NewTempFolder();
        using (var network = new DiscoveryNetwork(config, 3, headCount: 2))
        using (var optimizer = NcdOptimizer.Create(network.named_parameters(), options.LearningRate))
        {
            // Train epochs 0 and 1 only (the trainer stops early by cancellation after epoch 1's checkpoint).
            using var stop = new CancellationTokenSource();
            var history = new List<EpochLog>();
            Assert.Throws<OperationCanceledException>(() => new NcdTrainer(bank, samples, options).Train(network, optimizer, onEpoch: log =>
            {
                history.Add(log);
                new TrainingCheckpoint(log.Epoch, options.Epochs, ["base"], ["a", "b"], config, 2, options.Seed, options.LearningRate, history).Save(folder.Path, network, optimizer);
                if (log.Epoch == 1)
                {
                    stop.Cancel();
                }
            }, cancellationToken: stop.Token));
        }

        var checkpoint = TrainingCheckpoint.ReadMetadata(folder.Path);
        using var resumed = checkpoint.LoadNetwork(folder.Path);
        using var resumedOptimizer = NcdOptimizer.Create(resumed.named_parameters(), options.LearningRate);
        TrainingCheckpoint.LoadOptimizer(folder.Path, resumedOptimizer);
        var (rest, selected) = new NcdTrainer(bank, samples, options).Train(resumed, resumedOptimizer, startEpoch: checkpoint.Epoch + 1);

        Assert.Equal(1, checkpoint.Epoch);
        Assert.Equal(2, checkpoint.History.Count);
        Assert.Equal([2, 3], rest.Select(l => l.Epoch));
        Assert.NotEmpty(selected);
    }

    [Fact]
    public void Checkpoint_WeightsOfAnotherArchitecture_AreRefused()
    {
        using var scope = NewDisposeScope();
        var config = new TokenEncoderConfig(Channels, Tokens, EmbedDim: 8, Heads: 2, Blocks: 1);
        using var network = new DiscoveryNetwork(config with { Blocks = 2 }, 2, headCount: 2);
        using var folder = TestData.NewTempFolder();
        new TrainingCheckpoint(0, 1, [], ["a", "b"], config, 2, 1, 0.01, []).Save(folder.Path, network, null);

        var error = Assert.Throws<AnomalyNcd.Core.Common.InvalidInputException>(() => TrainingCheckpoint.ReadMetadata(folder.Path).LoadNetwork(folder.Path));
        Assert.Contains("model.bin", error.Message);
    }

    /// <summary>
    /// TorchSharp frees a temporary Scalar from its finalizer, so a garbage collection started by another thread can
    /// free one while libtorch still reads it (a silo training while it ingests). With every Scalar held
    /// (HeldScalars, MomentumSgd), training beside a thread that collects without pause gives the same weights.
    /// </summary>
    [Fact]
    public void Train_WhileAnotherThreadCollectsGarbage_GivesTheSameWeightsAsAlone()
    {
        var alone = TrainedWeights(collectBeside: false);
        var besideCollections = TrainedWeights(collectBeside: true);

        Assert.Equal(alone.Length, besideCollections.Length);
        for (var i = 0; i < alone.Length; i++)
        {
            Assert.Equal(alone[i], besideCollections[i]);
        }
    }

    private static float[][] TrainedWeights(bool collectBeside)
    {
        using var scope = NewDisposeScope();
        manual_seed(11);
        var (bank, samples, _) = SyntheticBank(perClass: 16, novelClasses: 2, baseClasses: 2, seed: 4);
        var options = new NcdTrainingOptions { Epochs = 4, BatchSize = 8, LearningRate = 0.05, Seed = 2 };
        using var network = new DiscoveryNetwork(new TokenEncoderConfig(Channels, Tokens, EmbedDim: 8, Heads: 2, Blocks: 1), 4, headCount: 2);
        using var optimizer = NcdOptimizer.Create(network.named_parameters(), options.LearningRate);
        using var stop = new CancellationTokenSource();
        var collector = collectBeside
            ? Task.Factory.StartNew(
                () =>
                {
                    while (!stop.IsCancellationRequested)
                    {
                        GC.Collect(0);
                        GC.WaitForPendingFinalizers();
                    }
                },
                TaskCreationOptions.LongRunning)
            : Task.CompletedTask;
        try
        {
            new NcdTrainer(bank, samples, options).Train(network, optimizer);
        }
        finally
        {
            stop.Cancel();
            collector.Wait();
        }

        return [.. network.parameters().Select(p => p.detach().cpu().data<float>().ToArray())];
    }
}
