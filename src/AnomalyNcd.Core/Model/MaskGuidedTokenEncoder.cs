using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AnomalyNcd.Core.Model;

/// <summary>
/// The product's CPU backbone head: frozen CNN patch tokens → linear projection + learned positions →
/// a CLS token refined by mask-guided CLS blocks → LayerNorm → CLS feature [B, D]. It keeps the method's
/// idea (the class token sees only the anomaly region) at a cost that trains in minutes on two cores.
/// </summary>
public sealed class MaskGuidedTokenEncoder : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Linear token_proj;
    private readonly Parameter cls_token;
    private readonly Parameter pos_embed;
    private readonly ModuleList<ClsAttentionBlock> blocks;
    private readonly LayerNorm norm;

    public MaskGuidedTokenEncoder(TokenEncoderConfig config) : base(nameof(MaskGuidedTokenEncoder))
    {
        config.Validate();
        Config = config;
        token_proj = nn.Linear(config.TokenDim, config.EmbedDim);
        cls_token = nn.Parameter(randn(1, 1, config.EmbedDim).Times(0.02));
        pos_embed = nn.Parameter(randn(1, config.Tokens, config.EmbedDim).Times(0.02));
        blocks = nn.ModuleList([.. Enumerable.Range(0, config.Blocks).Select(_ => new ClsAttentionBlock(config.EmbedDim, config.Heads))]);
        norm = nn.LayerNorm(config.EmbedDim, eps: 1e-6);
        RegisterComponents();
    }

    public TokenEncoderConfig Config { get; }

    /// <summary>
    /// Only the tokens visible to CLS are projected and attended to (<see cref="VisibleTokenPacking"/>), so the cost
    /// follows the masks' area: a 28×28 grid costs about what the masks cover, not four times a 14×14 grid.
    /// </summary>
    /// <param name="tokens">Frozen patch tokens [B, N, C].</param>
    /// <param name="visible">Bool [B, N]: tokens visible to the CLS query.</param>
    public override Tensor forward(Tensor tokens, Tensor visible)
    {
        using var scope = NewDisposeScope();
        var batch = tokens.shape[0];
        var packing = VisibleTokenPacking.From(visible);
        var chosen = tokens.reshape(-1, tokens.shape[2]).index_select(0, packing.Source);
        var patches = token_proj.forward(chosen.to_type(ScalarType.Float32)).Plus(pos_embed.squeeze(0).index_select(0, packing.Column));
        var cls = cls_token.expand(batch, -1, -1);
        foreach (var block in blocks)
        {
            cls = block.ForwardPacked(cls, patches, packing);
        }

        return scope.MoveToOuter(norm.forward(cls.squeeze(1)));
    }

    /// <summary>The same encoder over every token of the grid (hidden ones masked in the attention): the plain form <see cref="forward"/> is tested against.</summary>
    public Tensor ReferenceForward(Tensor tokens, Tensor visible)
    {
        using var scope = NewDisposeScope();
        var batch = tokens.shape[0];
        var patches = token_proj.forward(tokens.to_type(ScalarType.Float32)).Plus(pos_embed);
        var cls = cls_token.expand(batch, -1, -1);
        foreach (var block in blocks)
        {
            cls = block.forward(cls, patches, visible);
        }

        return scope.MoveToOuter(norm.forward(cls.squeeze(1)));
    }
}
