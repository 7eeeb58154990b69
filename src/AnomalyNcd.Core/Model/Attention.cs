using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AnomalyNcd.Core.Model;

/// <summary>
/// Multi-head self-attention with DINO's parameter names (qkv with bias, proj). In mask-guided mode
/// (method-spec §8.4) the CLS query row gets logit −1e9 for every key token that is not visible to CLS;
/// patch queries and the CLS-to-CLS logit are untouched.
/// </summary>
public sealed class Attention : nn.Module<Tensor, Tensor?, Tensor>
{
    /// <summary>Value that replaces the CLS row's logits of hidden tokens.</summary>
    public const double HiddenLogit = -1e9;

    private readonly Linear qkv;
    private readonly Linear proj;
    private readonly int heads;
    private readonly double scale;

    public Attention(VitConfig config, bool maskGuided) : base(nameof(Attention))
    {
        heads = config.Heads;
        scale = 1.0 / Math.Sqrt(config.HeadDim);
        MaskGuided = maskGuided;
        qkv = nn.Linear(config.EmbedDim, 3L * config.EmbedDim, hasBias: true);
        proj = nn.Linear(config.EmbedDim, config.EmbedDim);
        RegisterComponents();
    }

    public bool MaskGuided { get; }

    /// <param name="x">Tokens [B, T, D], CLS first.</param>
    /// <param name="visibleToCls">Bool [B, T]; used only in mask-guided mode (required there).</param>
    public override Tensor forward(Tensor x, Tensor? visibleToCls)
    {
        using var scope = NewDisposeScope();
        var (q, k, v) = SplitHeads(x);

        // Every row via the fused kernel; in mask-guided mode the CLS row is then recomputed on its own,
        // which costs one [T]-long row per head instead of a [T, T] additive mask.
        var attended = nn.functional.scaled_dot_product_attention(q, k, v);
        if (MaskGuided)
        {
            var hidden = RequireVisibility(visibleToCls, x).logical_not().unsqueeze(1).unsqueeze(1); // [B,1,1,T]
            var clsLogits = matmul(q.narrow(2, 0, 1), k.transpose(-2, -1)).Times(scale).FilledWhere(hidden, HiddenLogit);
            var clsRow = matmul(clsLogits.softmax(-1), v);
            attended = cat(new[] { clsRow, attended.narrow(2, 1, attended.shape[2] - 1) }, 2);
        }

        return scope.MoveToOuter(MergeHeads(attended));
    }

    /// <summary>
    /// Straightforward form of the same computation (explicit softmax(QKᵀ·scale) with the CLS row's hidden
    /// logits replaced), kept to check <see cref="forward"/> against.
    /// </summary>
    public Tensor ReferenceForward(Tensor x, Tensor? visibleToCls)
    {
        using var scope = NewDisposeScope();
        var (q, k, v) = SplitHeads(x);
        var logits = matmul(q, k.transpose(-2, -1)).Times(scale); // [B,H,T,T]
        if (MaskGuided)
        {
            var tokens = x.shape[1];
            var hiddenInClsRow = RequireVisibility(visibleToCls, x).logical_not().view(x.shape[0], 1, 1, tokens);
            var otherRows = zeros(new long[] { x.shape[0], 1, tokens - 1, tokens }, dtype: ScalarType.Bool);
            var replaced = cat(new[] { hiddenInClsRow, otherRows }, 2); // true only in row 0
            logits = logits.FilledWhere(replaced, HiddenLogit);
        }

        var attended = matmul(logits.softmax(-1), v);
        return scope.MoveToOuter(MergeHeads(attended));
    }

    private (Tensor Q, Tensor K, Tensor V) SplitHeads(Tensor x)
    {
        var batch = x.shape[0];
        var tokens = x.shape[1];
        var dim = x.shape[2];
        var parts = qkv.forward(x).view(batch, tokens, 3, heads, dim / heads).permute(2, 0, 3, 1, 4); // [3,B,H,T,d]
        return (parts[0], parts[1], parts[2]);
    }

    private Tensor MergeHeads(Tensor attended)
    {
        var batch = attended.shape[0];
        var tokens = attended.shape[2];
        return proj.forward(attended.transpose(1, 2).reshape(batch, tokens, -1));
    }

    private static Tensor RequireVisibility(Tensor? visibleToCls, Tensor x)
    {
        if (visibleToCls is null)
        {
            throw new ArgumentException("A mask-guided attention block needs the token visibility.");
        }

        if (visibleToCls.dtype != ScalarType.Bool || visibleToCls.ndim != 2
            || visibleToCls.shape[0] != x.shape[0] || visibleToCls.shape[1] != x.shape[1])
        {
            throw new ArgumentException(
                $"Token visibility must be bool [{x.shape[0]}, {x.shape[1]}], got {visibleToCls.dtype} [{string.Join(", ", visibleToCls.shape)}].");
        }

        return visibleToCls;
    }
}
