using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Model;
using AnomalyNcd.Core.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AnomalyNcd.Core.Discovery;

/// <summary>
/// The training step that <see cref="DiscoveryPipeline"/> (a manifest) and <see cref="CropDiscovery"/> (the platform's
/// crops) share: the network over the bank's tokens, SGD, an optional resume from a checkpoint folder (same classes
/// and architecture only), and the NCD trainer writing a checkpoint after every epoch. Owns the network until disposed.
/// </summary>
internal sealed class DiscoveryTraining : IDisposable
{
    private DiscoveryTraining(DiscoveryNetwork network, List<EpochLog> history, int startEpoch, int selectedHead, TrainingCheckpoint? lastCheckpoint)
    {
        Network = network;
        History = history;
        StartEpoch = startEpoch;
        SelectedHead = selectedHead;
        LastCheckpoint = lastCheckpoint;
    }

    public DiscoveryNetwork Network { get; }

    /// <summary>Every epoch's log, those of a resumed checkpoint first.</summary>
    public IReadOnlyList<EpochLog> History { get; }

    /// <summary>0, or the epoch after the resumed checkpoint's.</summary>
    public int StartEpoch { get; }

    /// <summary>The head with the lowest last-epoch cluster loss (from the checkpoint's last epoch when nothing was left to train).</summary>
    public int SelectedHead { get; }

    /// <summary>The checkpoint written after the last epoch (the resumed one when no epoch ran).</summary>
    public TrainingCheckpoint? LastCheckpoint { get; }

    /// <param name="vitTail">The ViT's trainable tail when <paramref name="backbone"/> is the ViT; null for ResNet18 tokens.</param>
    /// <param name="resumeFolder">A checkpoint folder to continue from, or null to start at epoch 0.</param>
    public static DiscoveryTraining Run(
        FeatureBank bank,
        VitTail? vitTail,
        string backbone,
        TrainingSamples samples,
        IReadOnlyList<string> baseClasses,
        IReadOnlyList<string> novelClasses,
        DiscoveryOptions options,
        string checkpointFolder,
        string? resumeFolder,
        Action<TrainingCheckpoint>? onCheckpoint,
        IProgress<ProgressUpdate>? progress,
        CancellationToken cancellationToken)
    {
        var training = options.Training;
        manual_seed(training.Seed);
        var encoder = EncoderFor(options, bank);
        var contrast = vitTail is null ? options.EffectiveTokenContrast : 0; // the ViT path keeps the reference's token mask
        var classCount = baseClasses.Count + novelClasses.Count;
        var network = vitTail is null
            ? new DiscoveryNetwork(encoder, classCount, options.Heads)
            : new DiscoveryNetwork(vitTail, options.Vit, classCount, options.Heads);
        try
        {
            network.to(ComputeDevice.Default);
            using var optimizer = NcdOptimizer.Create(network.named_parameters(), training.LearningRate);
            var history = new List<EpochLog>();
            TrainingCheckpoint? last = null;
            if (resumeFolder is not null)
            {
                last = Resume(resumeFolder, network, optimizer, baseClasses, novelClasses.Count, encoder, options.Heads, backbone, contrast, options.TokenCoverage);
                history.AddRange(last.History);
            }

            var startEpoch = last is null ? 0 : last.Epoch + 1;
            if (startEpoch == 0 && training.HeadInit == HeadInitialisation.KMeans)
            {
                KMeansHeadInitialiser.Apply(network, bank, samples, training.Seed);
            }

            var (_, selected) = new NcdTrainer(bank, samples, training).Train(
                network,
                optimizer,
                startEpoch,
                onEpoch: log =>
                {
                    history.Add(log);
                    last = new TrainingCheckpoint(
                        log.Epoch, training.Epochs, baseClasses, novelClasses, encoder, options.Heads, training.Seed, training.LearningRate, [.. history], backbone, vitTail is null ? null : options.Vit, contrast, options.TokenCoverage);
                    last.Save(checkpointFolder, network, optimizer);
                    onCheckpoint?.Invoke(last);
                },
                progress: progress,
                cancellationToken: cancellationToken);

            // Resuming a finished checkpoint trains no epoch; the head then comes from its last logged epoch.
            var head = startEpoch >= training.Epochs ? HeadSelection.SelectBest(history[^1].HeadClusterLosses)[0] : selected[0];
            return new DiscoveryTraining(network, history, startEpoch, head, last);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    public void Dispose() => Network.Dispose();

    /// <summary>
    /// The network of <paramref name="novelClasses"/> on a trained network of another class count: encoder, projector and
    /// base-class directions carry over, the novel-class directions start at k-means centres of the carried encoder's
    /// features (<see cref="KMeansHeadInitialiser"/>), and no epoch runs. Its checkpoint (the trained network's history)
    /// replaces the one in <paramref name="checkpointFolder"/>.
    /// </summary>
    public static DiscoveryTraining Rehead(
        DiscoveryTraining trained,
        FeatureBank bank,
        TrainingSamples samples,
        IReadOnlyList<string> baseClasses,
        IReadOnlyList<string> novelClasses,
        DiscoveryOptions options,
        string checkpointFolder,
        double[][] unitFeatures)
    {
        var encoder = EncoderFor(options, bank);
        var network = new DiscoveryNetwork(encoder, baseClasses.Count + novelClasses.Count, options.Heads);
        try
        {
            network.to(ComputeDevice.Default);
            var source = trained.Network.named_parameters().ToDictionary(p => p.name, p => p.parameter);
            using (no_grad())
            {
                foreach (var (name, parameter) in network.named_parameters())
                {
                    var from = source[name];
                    if (from.shape.SequenceEqual(parameter.shape))
                    {
                        parameter.copy_(from);
                    }
                    else if (baseClasses.Count > 0)
                    {
                        // A head's direction matrix: only the base classes' rows mean the same in both networks.
                        parameter.narrow(0, 0, baseClasses.Count).copy_(from.narrow(0, 0, baseClasses.Count));
                    }
                }
            }

            KMeansHeadInitialiser.Apply(network, bank, samples, options.Training.Seed, unitFeatures: unitFeatures);
            var history = trained.History.ToList();
            var checkpoint = new TrainingCheckpoint(
                history[^1].Epoch, options.Training.Epochs, baseClasses, novelClasses, encoder, options.Heads, options.Training.Seed, options.Training.LearningRate, [.. history], TrainingCheckpoint.ResNet18Backbone, null, options.EffectiveTokenContrast, options.TokenCoverage);
            checkpoint.Save(checkpointFolder, network, optimizer: null);
            return new DiscoveryTraining(network, history, startEpoch: 0, selectedHead: 0, checkpoint);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary>The token encoder's configuration for the bank's tokens.</summary>
    public static TokenEncoderConfig EncoderFor(DiscoveryOptions options, FeatureBank bank) =>
        options.Encoder with { TokenDim = bank.Channels, Tokens = bank.Tokens };

    private static TrainingCheckpoint Resume(
        string folder, DiscoveryNetwork network, MomentumSgd optimizer, IReadOnlyList<string> baseClasses, int novelClassCount, TokenEncoderConfig encoder, int heads, string backbone, double contrast, double coverage)
    {
        var checkpoint = TrainingCheckpoint.ReadMetadata(folder);
        if (!checkpoint.BaseClasses.SequenceEqual(baseClasses) || checkpoint.NovelClasses.Count != novelClassCount || checkpoint.Encoder != encoder || checkpoint.Heads != heads || checkpoint.Backbone != backbone || checkpoint.TokenContrast != contrast || checkpoint.TokenCoverage != coverage)
        {
            throw new InvalidInputException(folder, $"checkpoint was trained with other classes or another architecture ({checkpoint.BaseClasses.Count} base + {checkpoint.NovelClasses.Count} novel classes, {checkpoint.Encoder}, token contrast {checkpoint.TokenContrast}, coverage {checkpoint.TokenCoverage}) and cannot resume this run");
        }

        var modelPath = Path.Combine(folder, TrainingCheckpoint.ModelFile);
        try
        {
            network.load(modelPath, strict: true);
        }
        catch (Exception ex) when (ex is not InvalidInputException)
        {
            // A truncated or foreign model.bin is bad input, not a crash.
            throw new InvalidInputException(modelPath, $"weights cannot be loaded into this run's network ({ex.Message})", ex);
        }

        TrainingCheckpoint.LoadOptimizer(folder, optimizer);
        return checkpoint;
    }
}
