using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AnomalyNcd.Core.Model;

/// <summary>
/// The trainable end of the mask-guided ViT: its last block (mask-guided, trained) and the final
/// LayerNorm (frozen, as in the reference), applied to cached tokens of the frozen blocks before it.
/// Input: tokens [B, T, D] with CLS first and the CLS visibility [B, T]; output: CLS feature [B, D].
/// </summary>
public sealed class VitTail : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Block block;
    private readonly LayerNorm norm;

    public VitTail(VitConfig config) : base(nameof(VitTail))
    {
        block = new Block(config, maskGuided: true);
        norm = nn.LayerNorm(config.EmbedDim, eps: config.LayerNormEps);
        RegisterComponents();
        foreach (var parameter in norm.parameters())
        {
            parameter.requires_grad = false;
        }
    }

    /// <summary>A tail initialised with the last block and the final norm of a (loaded) ViT.</summary>
    public static VitTail From(MaskGuidedVisionTransformer vit)
    {
        var tail = new VitTail(vit.Config);
        using (no_grad())
        {
            tail.block.load_state_dict(vit.GetBlock(vit.Config.Depth - 1).state_dict());
            tail.norm.load_state_dict(vit.FinalNorm.state_dict());
        }

        return tail;
    }

    public override Tensor forward(Tensor tokens, Tensor visible)
    {
        using var scope = NewDisposeScope();
        var x = block.forward(tokens.to_type(ScalarType.Float32), visible);
        return scope.MoveToOuter(norm.forward(x.select(1, 0)));
    }
}
