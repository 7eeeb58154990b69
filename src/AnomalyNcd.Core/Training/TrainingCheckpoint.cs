using System.Text.Json;
using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Model;
using TorchSharp.Modules;

namespace AnomalyNcd.Core.Training;

/// <summary>
/// A resumable training state in one folder: <c>model.bin</c> (TorchSharp state dict), <c>momentum.bin</c>
/// (the SGD momentum buffers of <see cref="MomentumSgd"/>) and <c>checkpoint.json</c> (epoch, classes, settings, head losses), written last
/// so that a folder with a checkpoint.json is complete. <c>TokenContrast</c> and <c>TokenCoverage</c> say which tokens
/// the model was trained to see (checkpoints written before they existed read as off and as the reference's half),
/// which classifying its crops must repeat.
/// </summary>
public sealed record TrainingCheckpoint(
    int Epoch,
    int TotalEpochs,
    IReadOnlyList<string> BaseClasses,
    IReadOnlyList<string> NovelClasses,
    TokenEncoderConfig Encoder,
    int Heads,
    int Seed,
    double LearningRate,
    IReadOnlyList<EpochLog> History,
    string Backbone = TrainingCheckpoint.ResNet18Backbone,
    VitConfig? Vit = null,
    double TokenContrast = 0,
    double TokenCoverage = Discovery.TokenCoverage.Reference)
{
    public const string ResNet18Backbone = "resnet18";
    public const string DinoVitB8Backbone = "dino-vitb8";

    public const string MetadataFile = "checkpoint.json";
    public const string ModelFile = "model.bin";
    public const string OptimizerFile = "momentum.bin";

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public void Save(string folder, DiscoveryNetwork network, MomentumSgd? optimizer)
    {
        Directory.CreateDirectory(folder);
        var modelTemp = Path.Combine(folder, ModelFile + ".tmp");
        network.save(modelTemp);
        File.Move(modelTemp, Path.Combine(folder, ModelFile), overwrite: true);
        if (optimizer is not null)
        {
            var optimizerTemp = Path.Combine(folder, OptimizerFile + ".tmp");
            optimizer.Save(optimizerTemp);
            File.Move(optimizerTemp, Path.Combine(folder, OptimizerFile), overwrite: true);
        }

        AtomicFile.WriteAllText(Path.Combine(folder, MetadataFile), JsonSerializer.Serialize(this, JsonOptions));
    }

    public static TrainingCheckpoint ReadMetadata(string folder)
    {
        var path = Path.Combine(folder, MetadataFile);
        if (!File.Exists(path))
        {
            throw new InvalidInputException(folder, $"no {MetadataFile}: not a training checkpoint (or an unfinished one)");
        }

        try
        {
            return JsonSerializer.Deserialize<TrainingCheckpoint>(File.ReadAllText(path), JsonOptions)
                ?? throw new InvalidInputException(path, "empty checkpoint metadata");
        }
        catch (JsonException ex)
        {
            throw new InvalidInputException(path, $"unreadable checkpoint metadata ({ex.Message})", ex);
        }
    }

    /// <summary>
    /// Restores the momentum buffers saved with the checkpoint into <paramref name="optimizer"/>. A checkpoint of an
    /// earlier version holds TorchSharp's format instead: training then resumes with fresh momentum (the weights and
    /// the epoch are the checkpoint's), which costs a few steps of speed-up, not correctness.
    /// </summary>
    public static void LoadOptimizer(string folder, MomentumSgd optimizer)
    {
        var path = Path.Combine(folder, OptimizerFile);
        if (!File.Exists(path) && File.Exists(Path.Combine(folder, "optimizer.bin"))) // TorchSharp's SGD state, before MomentumSgd
        {
            return;
        }

        if (!File.Exists(path))
        {
            throw new InvalidInputException(folder, $"no {OptimizerFile}: the checkpoint cannot resume training");
        }

        try
        {
            optimizer.Load(path);
        }
        catch (Exception ex) when (ex is not InvalidInputException)
        {
            throw new InvalidInputException(path, $"optimizer state does not fit the model ({ex.Message})", ex);
        }
    }

    /// <summary>A network with the checkpoint's architecture and weights (strict: a mismatching file is refused).</summary>
    public DiscoveryNetwork LoadNetwork(string folder)
    {
        var classes = BaseClasses.Count + NovelClasses.Count;
        var network = Backbone == DinoVitB8Backbone
            ? new DiscoveryNetwork(new VitTail(Vit ?? VitConfig.DinoVitBase8), Vit ?? VitConfig.DinoVitBase8, classes, Heads)
            : new DiscoveryNetwork(Encoder, classes, Heads);
        var path = Path.Combine(folder, ModelFile);
        try
        {
            network.load(path, strict: true);
        }
        catch (Exception ex) when (ex is not InvalidInputException)
        {
            network.Dispose();
            throw new InvalidInputException(path, $"weights do not fit the checkpoint's architecture ({ex.Message})", ex);
        }

        return network;
    }
}
