using TorchSharp;
using static TorchSharp.torch;

namespace AnomalyNcd.Core.Model;

/// <summary>
/// The trainable part of discovery on the CPU backbone: mask-guided token encoder → projector and
/// cosine classifier heads (method-spec §8.5). Field names are the checkpoint's key prefixes.
/// </summary>
public sealed class DiscoveryNetwork : nn.Module<Tensor, Tensor, MultiHeadOutput>
{
    private readonly MaskGuidedTokenEncoder encoder;
    private readonly MultiHead heads;

    public DiscoveryNetwork(TokenEncoderConfig encoderConfig, int classCount, int headCount = MultiHead.DefaultHeadCount)
        : base(nameof(DiscoveryNetwork))
    {
        EncoderConfig = encoderConfig;
        ClassCount = classCount;
        encoder = new MaskGuidedTokenEncoder(encoderConfig);
        heads = new MultiHead(encoderConfig.EmbedDim, classCount, headCount);
        RegisterComponents();
    }

    public TokenEncoderConfig EncoderConfig { get; }

    public int ClassCount { get; }

    public int HeadCount => heads.HeadCount;

    /// <summary>CLS features [B, D] without the heads (for "find more like this" and class estimation).</summary>
    public Tensor Embed(Tensor tokens, Tensor visible) => encoder.forward(tokens, visible);

    public override MultiHeadOutput forward(Tensor tokens, Tensor visible) => heads.forward(encoder.forward(tokens, visible));
}
