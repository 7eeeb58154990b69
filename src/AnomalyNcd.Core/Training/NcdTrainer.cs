using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Merging;
using AnomalyNcd.Core.Model;
using AnomalyNcd.Core.Training.Data;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AnomalyNcd.Core.Training;

/// <summary>
/// The novel-class-discovery training loop (method-spec §9) over a <see cref="FeatureBank"/>: balanced
/// sampling of labelled and unlabelled crops, two cached views per crop, the NCD objective with the
/// teacher-temperature and cosine learning-rate schedules, head selection on the last epoch.
/// </summary>
public sealed class NcdTrainer
{
    private readonly FeatureBank _bank;
    private readonly TrainingSamples _samples;
    private readonly NcdTrainingOptions _options;

    public NcdTrainer(FeatureBank bank, TrainingSamples samples, NcdTrainingOptions options)
    {
        options.Validate();
        samples.Validate(bank.Count);
        _bank = bank;
        _samples = samples;
        _options = options;
    }

    /// <summary>
    /// Trains <paramref name="network"/> from <paramref name="startEpoch"/> (0, or the epoch after a
    /// checkpoint's) to the end; <paramref name="onEpoch"/> runs after every epoch (logging, checkpoints).
    /// </summary>
    /// <returns>The epoch logs of this call and the selected heads (lowest last-epoch head_cluster loss).</returns>
    public (IReadOnlyList<EpochLog> History, int[] SelectedHeads) Train(
        DiscoveryNetwork network,
        MomentumSgd optimizer,
        int startEpoch = 0,
        Action<EpochLog>? onEpoch = null,
        IProgress<ProgressUpdate>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var labelled = _samples.LabelledIndices();
        var sampler = new BalancedSampler(labelled, _samples.UnlabelledIndices(), _options.BatchSize, _options.Seed + startEpoch);
        var viewRandom = new Random(_options.Seed * 31 + startEpoch);
        var teacher = TeacherTemperatureSchedule.Build(_options.Epochs, warmUpEpochs: _options.WarmUpEpochs());
        var tracker = new HeadLossTracker(network.HeadCount);
        var history = new List<EpochLog>();
        var device = ParameterDevice(network);
        network.train();
        for (var epoch = startEpoch; epoch < _options.Epochs; epoch++)
        {
            var learningRate = CosineLearningRateSchedule.At(epoch, _options.Epochs, _options.LearningRate);
            NcdOptimizer.SetLearningRate(optimizer, learningRate);
            tracker.StartEpoch();
            double lossSum = 0;
            var batches = sampler.NextEpoch();
            foreach (var batch in batches)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (labelled.Count > 0 && batch.IsUnmixed)
                {
                    continue; // the reference skips batches without both kinds of crops (§7.2)
                }

                lossSum += Step(network, optimizer, batch.Indices, teacher[epoch], viewRandom, tracker, device);
            }

            var log = new EpochLog(epoch, tracker.BatchCount, tracker.BatchCount == 0 ? double.NaN : lossSum / tracker.BatchCount, tracker.MeanLosses(), learningRate, teacher[epoch]);
            history.Add(log);
            if (_options.SplitIntoEmptyClasses && EmptyClassSplitting.DueAfter(epoch, _options.Epochs))
            {
                EmptyClassSplitting.Apply(network, _bank, _samples, _options.Seed + epoch);
                network.train();
            }

            onEpoch?.Invoke(log);
            progress?.Report(new ProgressUpdate("train (epochs)", epoch + 1, _options.Epochs));
        }

        return (history, tracker.SelectedHeads());
    }

    private double Step(DiscoveryNetwork network, MomentumSgd optimizer, IReadOnlyList<int> indices, double teacherTemperature, Random viewRandom, HeadLossTracker tracker, Device device)
    {
        using var scope = NewDisposeScope();
        var firstViews = new int[indices.Count];
        var secondViews = new int[indices.Count];
        for (var i = 0; i < indices.Count; i++)
        {
            // Two different cached augmentations of the same crop, as two random views would be.
            firstViews[i] = viewRandom.Next(_bank.TrainViews);
            secondViews[i] = (firstViews[i] + 1 + viewRandom.Next(_bank.TrainViews - 1)) % _bank.TrainViews;
        }

        var (tokens0, visible0) = _bank.Batch(indices, firstViews);
        var (tokens1, visible1) = _bank.Batch(indices, secondViews);
        var output = network.forward(cat(new[] { tokens0, tokens1 }).to(device), cat(new[] { visible0, visible1 }).to(device));

        var labels = indices.Select(i => (long)Math.Max(0, _samples.Labels[i])).ToArray();
        var labelledMask = indices.Select(i => _samples.Labels[i] >= 0).ToArray();
        Tensor? weights = _options.CorrectionThreshold < 0
            ? null
            : tensor(indices.Select(i => PseudoLabelCorrection.Weight(_samples.Scores[i], _options.CorrectionThreshold)).ToArray(), ScalarType.Float32);
        var regionless = _options.Objective.RegionlessCropsCountAsNormal && _samples.Regionless is { } flags ? tensor(indices.Select(i => flags[i]).ToArray(), device: device) : null;
        var breakdown = NcdObjective.Compute(
            output, tensor(labels, device: device), tensor(labelledMask, device: device), weights?.to(device), _samples.BaseClassCount, teacherTemperature, _options.Objective, regionless);

        optimizer.ZeroGrad();
        breakdown.Total.backward();
        optimizer.Step();
        tracker.AddBatch(breakdown.HeadClusterValues());
        return breakdown.Total.item<float>();
    }

    /// <summary>
    /// Class probabilities of the given crops: per head, softmax(logits / 0.1) restricted to the novel classes (§10.2) —
    /// arrays of length K with zeros for the base classes — from the test view, or with <see cref="PredictionViews.All"/>
    /// the mean over the test view and every cached training view.
    /// </summary>
    public static double[][][] PredictProbabilities(
        DiscoveryNetwork network, FeatureBank bank, IReadOnlyList<int> crops, int baseClassCount, int batchSize = 64, PredictionViews views = PredictionViews.Test) =>
        PredictProbabilities(network, bank, crops, baseClassCount, views == PredictionViews.All ? [.. Enumerable.Range(0, bank.TrainViews + 1)] : [bank.TestView], batchSize);

    /// <summary>Class probabilities per head, averaged over the given views of every crop.</summary>
    internal static double[][][] PredictProbabilities(DiscoveryNetwork network, FeatureBank bank, IReadOnlyList<int> crops, int baseClassCount, IReadOnlyList<int> views, int batchSize = 64)
    {
        var result = new double[network.HeadCount][][];
        for (var h = 0; h < network.HeadCount; h++)
        {
            result[h] = new double[crops.Count][];
        }

        foreach (var view in views)
        {
            ForEachBatch(network, bank, crops, view, batchSize, (start, tokens, visible) =>
            {
                var output = network.forward(tokens, visible);
                for (var h = 0; h < network.HeadCount; h++)
                {
                    var logits = output.Logits[h].to_type(ScalarType.Float64).cpu().data<double>().ToArray();
                    var classes = (int)output.Logits[h].shape[1];
                    for (var row = 0; row < tokens.shape[0]; row++)
                    {
                        var probabilities = NovelClassProbabilities.FromLogits(new ArraySegment<double>(logits, row * classes, classes), baseClassCount);
                        var sum = result[h][start + row] ??= new double[probabilities.Length];
                        for (var c = 0; c < probabilities.Length; c++)
                        {
                            sum[c] += probabilities[c] / views.Count;
                        }
                    }
                }
            });
        }

        return result;
    }

    /// <summary>
    /// The crops' test views in batches through <paramref name="body"/> (first crop's position, tokens, visibility), in
    /// eval mode without gradients, each batch in its own dispose scope, on the network's device.
    /// </summary>
    internal static void ForEachTestBatch(DiscoveryNetwork network, FeatureBank bank, IReadOnlyList<int> crops, int batchSize, Action<int, Tensor, Tensor> body) =>
        ForEachBatch(network, bank, crops, bank.TestView, batchSize, body);

    /// <summary>As <see cref="ForEachTestBatch"/>, for one view of every crop.</summary>
    private static void ForEachBatch(DiscoveryNetwork network, FeatureBank bank, IReadOnlyList<int> crops, int view, int batchSize, Action<int, Tensor, Tensor> body)
    {
        network.eval();
        using var noGrad = no_grad();
        var device = ParameterDevice(network);
        for (var start = 0; start < crops.Count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var chunk = crops.Skip(start).Take(batchSize).ToArray();
            var (tokens, visible) = bank.Batch(chunk, Enumerable.Repeat(view, chunk.Length).ToArray());
            body(start, tokens.to(device), visible.to(device));
        }
    }

    private static Device ParameterDevice(DiscoveryNetwork network) => network.parameters().First().device;
}
