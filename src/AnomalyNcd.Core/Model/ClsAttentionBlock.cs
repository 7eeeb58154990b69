using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AnomalyNcd.Core.Model;

/// <summary>
/// A pre-norm transformer block in which only the CLS token is updated: its query attends to itself and
/// to the patch tokens visible under the anomaly mask (hidden ones get logit −1e9, as the CLS row of
/// AnomalyNCD's mask-guided attention, method-spec §8.4). The patch tokens come from a frozen CNN that
/// already mixed context, so recomputing their rows (the other 99 % of a ViT block's cost) is skipped.
/// </summary>
public sealed class ClsAttentionBlock : nn.Module<Tensor, Tensor, Tensor, Tensor>
{
    /// <summary>Logit that replaces the CLS query's logits of hidden tokens (the reference's −1e9).</summary>
    public const double HiddenLogit = -1e9;

    private readonly LayerNorm norm1;
    private readonly LayerNorm norm_tokens;
    private readonly Linear q;
    private readonly Linear kv;
    private readonly Linear proj;
    private readonly LayerNorm norm2;
    private readonly Linear fc1;
    private readonly Linear fc2;
    private readonly int heads;

    public ClsAttentionBlock(int dim, int heads) : base(nameof(ClsAttentionBlock))
    {
        this.heads = heads;
        norm1 = nn.LayerNorm(dim, eps: 1e-6);
        norm_tokens = nn.LayerNorm(dim, eps: 1e-6);
        q = nn.Linear(dim, dim);
        kv = nn.Linear(dim, 2L * dim);
        proj = nn.Linear(dim, dim);
        norm2 = nn.LayerNorm(dim, eps: 1e-6);
        fc1 = nn.Linear(dim, 4L * dim);
        fc2 = nn.Linear(4L * dim, dim);
        RegisterComponents();
    }

    /// <param name="cls">CLS token [B, 1, D].</param>
    /// <param name="tokens">Patch tokens [B, N, D].</param>
    /// <param name="visible">Bool [B, N]: patch tokens the CLS query may attend to.</param>
    /// <returns>The updated CLS token [B, 1, D].</returns>
    public override Tensor forward(Tensor cls, Tensor tokens, Tensor visible)
    {
        using var scope = NewDisposeScope();
        var normedCls = norm1.forward(cls);
        var keysIn = cat(new[] { normedCls, norm_tokens.forward(tokens) }, 1); // CLS always sees itself
        return scope.MoveToOuter(Attend(cls, normedCls, kv.forward(keysIn), visible));
    }

    /// <summary>
    /// The same block on packed visible tokens (<see cref="VisibleTokenPacking"/>): keys and values are computed for
    /// the visible tokens only, then padded; the result equals <see cref="forward"/> up to rounding.
    /// </summary>
    /// <param name="cls">CLS token [B, 1, D].</param>
    /// <param name="packedTokens">The visible patch tokens [V, D].</param>
    public Tensor ForwardPacked(Tensor cls, Tensor packedTokens, VisibleTokenPacking packing)
    {
        using var scope = NewDisposeScope();
        var normedCls = norm1.forward(cls);
        var keysValues = cat(new[] { kv.forward(normedCls), packing.Pad(kv.forward(norm_tokens.forward(packedTokens))) }, 1);
        return scope.MoveToOuter(Attend(cls, normedCls, keysValues, packing.Present));
    }

    /// <param name="keysValues">[B, 1 + T, 2D]: CLS's own keys and values first.</param>
    /// <param name="visible">Bool [B, T].</param>
    private Tensor Attend(Tensor cls, Tensor normedCls, Tensor keysValues, Tensor visible)
    {
        var batch = cls.shape[0];
        var dim = cls.shape[2];
        var headDim = dim / heads;
        var query = q.forward(normedCls).view(batch, 1, heads, headDim).transpose(1, 2); // [B,H,1,d]
        var kvParts = keysValues.view(batch, -1, 2, heads, headDim).permute(2, 0, 3, 1, 4); // [2,B,H,T,d]
        var logits = matmul(query, kvParts[0].transpose(-2, -1)).Times(1.0 / Math.Sqrt(headDim)); // [B,H,1,T]
        var hidden = cat(new[] { zeros(new long[] { batch, 1 }, ScalarType.Bool, visible.device), visible.logical_not() }, 1);
        logits = logits.FilledWhere(hidden.view(batch, 1, 1, -1), HiddenLogit);
        var attended = matmul(logits.softmax(-1), kvParts[1]).transpose(1, 2).reshape(batch, 1, dim);
        var x = cls.Plus(proj.forward(attended));
        return x.Plus(fc2.forward(nn.functional.gelu(fc1.forward(norm2.forward(x)))));
    }
}
