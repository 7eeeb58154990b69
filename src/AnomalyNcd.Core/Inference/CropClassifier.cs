using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Discovery;
using AnomalyNcd.Core.Features;
using AnomalyNcd.Core.Imaging;
using AnomalyNcd.Core.Merging;
using AnomalyNcd.Core.Model;
using AnomalyNcd.Core.Training;
using AnomalyNcd.Core.Training.Data;
using OpenCvSharp;
using TorchSharp;
using static TorchSharp.torch;

namespace AnomalyNcd.Core.Inference;

/// <summary>
/// A trained discovery model (the checkpoint folder <c>discover</c> and <see cref="CropDiscovery"/> write)
/// loaded once, classifying batches of crops exactly as discovery assigns its own crops: the test view
/// through the frozen ResNet18, the tokens visible under its mask (the checkpoint's token coverage) narrowed by its token contrast, tokens stored and read through a <see cref="FeatureBank"/> (same half-float
/// rounding), one forward for the batch, the selected head (lowest last-epoch cluster loss) and the softmax of
/// <see cref="NovelClassProbabilities.FromLogits"/> (as <see cref="NcdTrainer.PredictProbabilities"/> uses it) — restricted to the novel classes (<see cref="ClassifierScope.NovelOnly"/>,
/// discovery's assignment) or over all classes (<see cref="ClassifierScope.AllClasses"/>, online assignment, so that
/// crops of a confirmed class get that base class). Not thread-safe: callers serialise.
/// </summary>
public sealed class CropClassifier : IDisposable
{
    private readonly DiscoveryNetwork network;
    private readonly ResNet18Features backbone;
    private readonly int grid;

    private CropClassifier(TrainingCheckpoint checkpoint, DiscoveryNetwork network, ResNet18Features backbone, int grid, int head, ClassifierScope scope)
    {
        Checkpoint = checkpoint;
        Scope = scope;
        this.network = network;
        this.backbone = backbone;
        this.grid = grid;
        SelectedHead = head;
    }

    public TrainingCheckpoint Checkpoint { get; }

    /// <summary>Whether base classes can be assigned (<see cref="ClassifierScope.AllClasses"/>) or only novel ones.</summary>
    public ClassifierScope Scope { get; }

    /// <summary>The head whose outputs are reported (discovery's head selection, recomputed from the checkpoint's last epoch).</summary>
    public int SelectedHead { get; }

    /// <summary>K = base + novel classes; probability arrays have this length (base entries are 0 under <see cref="ClassifierScope.NovelOnly"/>).</summary>
    public int ClassCount => Checkpoint.BaseClasses.Count + Checkpoint.NovelClasses.Count;

    public int BaseClassCount => Checkpoint.BaseClasses.Count;

    /// <summary>
    /// Loads <c>checkpoint.json</c> and <c>model.bin</c> from <paramref name="checkpointFolder"/> (ResNet18 backbone only).
    /// <paramref name="scope"/> says whether crops may be assigned to base classes; the default keeps discovery's parity.
    /// </summary>
    public static CropClassifier Load(string checkpointFolder, ClassifierScope scope = ClassifierScope.NovelOnly)
    {
        var checkpoint = TrainingCheckpoint.ReadMetadata(checkpointFolder);
        if (checkpoint.Backbone != TrainingCheckpoint.ResNet18Backbone)
        {
            throw new InvalidInputException(checkpointFolder, $"the classifier serves {TrainingCheckpoint.ResNet18Backbone} models; this checkpoint uses {checkpoint.Backbone}");
        }

        if (checkpoint.History.Count == 0)
        {
            throw new InvalidInputException(checkpointFolder, "the checkpoint has no finished epoch, so no head can be selected");
        }

        var grid = (int)Math.Round(Math.Sqrt(checkpoint.Encoder.Tokens));
        if (grid * grid != checkpoint.Encoder.Tokens || checkpoint.Encoder.TokenDim != FeatureBankBuilder.TokenChannels)
        {
            throw new InvalidInputException(checkpointFolder, $"token layout {checkpoint.Encoder.Tokens} × {checkpoint.Encoder.TokenDim} is not a square ResNet18 layer2+layer3 grid");
        }

        var head = HeadSelection.SelectBest(checkpoint.History[^1].HeadClusterLosses)[0];
        var network = checkpoint.LoadNetwork(checkpointFolder);
        try
        {
            network.to(ComputeDevice.Default);
            network.eval();
            var backbone = new ResNet18Features(FeatureBankBuilder.Stages);
            return new CropClassifier(checkpoint, network, backbone, grid, head, scope);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary>Classifies crop files (RGB crop PNG, 0/255 mask PNG) in one batch.</summary>
    public IReadOnlyList<CropClassification> ClassifyFiles(IReadOnlyList<(string CropPath, string MaskPath)> crops, bool withEmbedding = false)
    {
        var images = new List<(Mat Image, GrayImage Mask)>(crops.Count);
        try
        {
            foreach (var (cropPath, maskPath) in crops)
            {
                var image = ImageFiles.ReadRgb(cropPath);
                var mask = ImageFiles.ReadGray(maskPath);
                images.Add((image, mask));
                if (mask.Width != image.Width || mask.Height != image.Height)
                {
                    throw new InvalidInputException(maskPath, $"crop mask is {mask.Width}x{mask.Height} but its crop is {image.Width}x{image.Height}");
                }
            }

            return Classify(images, withEmbedding);
        }
        finally
        {
            foreach (var (image, _) in images)
            {
                image.Dispose();
            }
        }
    }

    /// <summary>Classifies in-memory crops (RGB 8-bit 3-channel, mask of the same size) in one forward.</summary>
    public IReadOnlyList<CropClassification> Classify(IReadOnlyList<(Mat Image, GrayImage Mask)> crops, bool withEmbedding = false)
    {
        if (crops.Count == 0)
        {
            return [];
        }

        // The discovery bank needs two training views at least; only the test view is filled and read.
        var bank = new FeatureBank(crops.Count, 2, grid * grid, FeatureBankBuilder.TokenChannels, visibleOnly: true);
        for (var i = 0; i < crops.Count; i++)
        {
            var view = CropTransforms.Test(crops[i].Image, crops[i].Mask);
            var tokens = PatchTokens.Build(backbone.Extract(FeatureBankBuilder.PlanarRgb(view.Rgb)), FeatureBankBuilder.Stages, grid);
            var shown = TokenContrast.Apply(tokens.Values, FeatureBankBuilder.VisibleTokens(view.Mask, grid, Checkpoint.TokenCoverage), FeatureBankBuilder.TokenChannels, Checkpoint.TokenContrast);
            bank.Set(i, bank.TestView, tokens.Values, shown);
        }

        // One forward gives both the selected head's logits and, when asked for, the projector's embedding.
        // A labelled-class count of 0 makes the softmax run over all K logits (same temperature as discovery's).
        var excluded = Scope == ClassifierScope.AllClasses ? 0 : BaseClassCount;
        var indices = Enumerable.Range(0, crops.Count).ToArray();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var (batchTokens, visible) = bank.Batch(indices, Enumerable.Repeat(bank.TestView, indices.Length).ToArray());
        var device = network.parameters().First().device;
        var output = network.forward(batchTokens.to(device), visible.to(device));
        var logits = output.Logits[SelectedHead].to_type(ScalarType.Float64).cpu().data<double>().ToArray();
        var classes = logits.Length / crops.Count;
        var embeddings = withEmbedding ? Rows(output.Projection.cpu()) : null;
        return [.. indices.Select(i =>
        {
            var probabilities = NovelClassProbabilities.FromLogits(new ArraySegment<double>(logits, i * classes, classes), excluded);
            var best = Maximum.IndexOf<double>(probabilities);
            return new CropClassification(best, probabilities[best], probabilities, embeddings?[i]);
        })];
    }

    public void Dispose()
    {
        network.Dispose();
        backbone.Dispose();
    }

    private static float[][] Rows(Tensor matrix)
    {
        var width = (int)matrix.shape[1];
        var values = matrix.data<float>().ToArray();
        return [.. Enumerable.Range(0, (int)matrix.shape[0]).Select(i => values.AsSpan(i * width, width).ToArray())];
    }
}
