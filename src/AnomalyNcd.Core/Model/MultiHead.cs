using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AnomalyNcd.Core.Model;

/// <summary>
/// Projector plus n_head parallel cosine classifiers on the backbone's CLS feature (method-spec §8.5).
/// The projector is shared and only serves the contrastive losses; the heads see the feature itself.
/// </summary>
public sealed class MultiHead : Module<Tensor, MultiHeadOutput>
{
    public const int DefaultHeadCount = 4;

    private readonly ProjectionHead projector;
    private readonly ModuleList<CosineClassifierHead> head;

    public MultiHead(
        long featureDim,
        long classCount,
        int headCount = DefaultHeadCount,
        long hiddenDim = ProjectionHead.DefaultHiddenDim,
        long bottleneckDim = ProjectionHead.DefaultBottleneckDim)
        : base(nameof(MultiHead))
    {
        if (headCount <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(headCount), "at least one classifier head is needed");
        }

        projector = new ProjectionHead(featureDim, hiddenDim, bottleneckDim);
        head = new ModuleList<CosineClassifierHead>(
            Enumerable.Range(0, headCount).Select(_ => new CosineClassifierHead(featureDim, classCount)).ToArray());
        RegisterComponents();
    }

    public int HeadCount => head.Count;

    public CosineClassifierHead Head(int index) => head[index];

    public override MultiHeadOutput forward(Tensor features)
    {
        var projection = projector.forward(features);
        var logits = head.Select(classifier => classifier.forward(features)).ToArray();
        return new MultiHeadOutput(projection, logits);
    }
}
