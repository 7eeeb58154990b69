using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AnomalyNcd.Core.Model;

/// <summary>Pre-norm transformer block: x + attn(norm1(x)), then + mlp(norm2(x)).</summary>
public sealed class Block : nn.Module<Tensor, Tensor?, Tensor>
{
    private readonly LayerNorm norm1;
    private readonly Attention attn;
    private readonly LayerNorm norm2;
    private readonly Mlp mlp;

    public Block(VitConfig config, bool maskGuided) : base(nameof(Block))
    {
        norm1 = nn.LayerNorm(config.EmbedDim, eps: config.LayerNormEps);
        attn = new Attention(config, maskGuided);
        norm2 = nn.LayerNorm(config.EmbedDim, eps: config.LayerNormEps);
        mlp = new Mlp(config);
        RegisterComponents();
    }

    public bool MaskGuided => attn.MaskGuided;

    public Attention Attn => attn;

    public override Tensor forward(Tensor x, Tensor? visibleToCls) => Run(x, visibleToCls, reference: false);

    /// <summary>The same block with the reference attention (tests compare both).</summary>
    public Tensor ReferenceForward(Tensor x, Tensor? visibleToCls) => Run(x, visibleToCls, reference: true);

    private Tensor Run(Tensor x, Tensor? visibleToCls, bool reference)
    {
        using var scope = NewDisposeScope();
        var normed = norm1.forward(x);
        var attended = reference ? attn.ReferenceForward(normed, visibleToCls) : attn.forward(normed, visibleToCls);
        var afterAttention = x.Plus(attended);
        var result = afterAttention.Plus(mlp.forward(norm2.forward(afterAttention)));
        return scope.MoveToOuter(result);
    }
}
