using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AnomalyNcd.Core.Model;

/// <summary>
/// The trainable part of discovery: an encoder of cached backbone tokens (the mask-guided token encoder
/// on ResNet18 tokens, or the last block of the mask-guided ViT-B/8) → projector and cosine classifier
/// heads (method-spec §8.5). Field names are the checkpoint's key prefixes.
/// </summary>
public sealed class DiscoveryNetwork : nn.Module<Tensor, Tensor, MultiHeadOutput>
{
    private readonly nn.Module<Tensor, Tensor, Tensor> encoder;
    private readonly MultiHead heads;

    /// <summary>The CPU recipe: ResNet18 tokens → <see cref="MaskGuidedTokenEncoder"/>.</summary>
    public DiscoveryNetwork(TokenEncoderConfig encoderConfig, int classCount, int headCount = MultiHead.DefaultHeadCount)
        : this(new MaskGuidedTokenEncoder(encoderConfig), encoderConfig.EmbedDim, classCount, headCount)
    {
    }

    /// <summary>The paper's recipe: cached ViT tokens before the last block → <see cref="VitTail"/>.</summary>
    public DiscoveryNetwork(VitTail tail, VitConfig vit, int classCount, int headCount = MultiHead.DefaultHeadCount)
        : this(tail, vit.EmbedDim, classCount, headCount)
    {
    }

    private DiscoveryNetwork(nn.Module<Tensor, Tensor, Tensor> encoder, int featureDim, int classCount, int headCount)
        : base(nameof(DiscoveryNetwork))
    {
        ClassCount = classCount;
        this.encoder = encoder;
        heads = new MultiHead(featureDim, classCount, headCount);
        RegisterComponents();
    }

    public int ClassCount { get; }

    public int HeadCount => heads.HeadCount;

    /// <summary>Parameters that train (the ViT tail's final norm stays frozen, as in the reference).</summary>
    public IEnumerable<(string Name, Parameter Parameter)> TrainableParameters() =>
        named_parameters().Where(p => p.parameter.requires_grad).Select(p => (p.name, p.parameter));

    /// <summary>The classifier heads (their direction matrices can be set before training).</summary>
    public MultiHead Heads => heads;

    /// <summary>The feature the heads classify, without the heads.</summary>
    public Tensor Features(Tensor tokens, Tensor visible) => encoder.forward(tokens, visible);

    public override MultiHeadOutput forward(Tensor tokens, Tensor visible) => heads.forward(encoder.forward(tokens, visible));
}
