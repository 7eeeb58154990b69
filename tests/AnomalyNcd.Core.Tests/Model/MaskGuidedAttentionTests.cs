using AnomalyNcd.Core.Model;
using static TorchSharp.torch;

namespace AnomalyNcd.Core.Tests.Model;

public class MaskGuidedAttentionTests
{
    private static readonly VitConfig Tiny = VitConfig.Tiny;

    /// <summary>Batch of 2, 17 tokens; sample 0 hides tokens 1..10, sample 1 hides every third token.</summary>
    private static Tensor SomeVisibility()
    {
        var visible = ones(new long[] { 2, Tiny.TokenCount }, dtype: ScalarType.Bool);
        for (var t = 1; t <= 10; t++)
        {
            visible[0, t] = tensor(false);
        }

        for (var t = 3; t < Tiny.TokenCount; t += 3)
        {
            visible[1, t] = tensor(false);
        }

        return visible;
    }

    [Fact]
    public void MaskGuidedBlock_EqualsExplicitSoftmaxReference()
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        var block = new Block(Tiny, maskGuided: true);
        var x = randn(2, Tiny.TokenCount, Tiny.EmbedDim);
        var visible = SomeVisibility();

        var fast = block.forward(x, visible);
        var reference = block.ReferenceForward(x, visible);

        Assert.True(fast.sub(reference).abs().max().item<float>() < 1e-5f);
    }

    [Fact]
    public void PlainBlock_EqualsExplicitSoftmaxReference_AndIgnoresVisibility()
    {
        using var scope = NewDisposeScope();
        manual_seed(2);
        var block = new Block(Tiny, maskGuided: false);
        var x = randn(2, Tiny.TokenCount, Tiny.EmbedDim);

        var fast = block.forward(x, SomeVisibility());
        var reference = block.ReferenceForward(x, null);

        Assert.True(fast.sub(reference).abs().max().item<float>() < 1e-5f);
    }

    [Fact]
    public void MaskGuidedAttention_ReplacesOnlyClsRow()
    {
        // With every patch hidden, the CLS row attends to itself alone: its output is proj(v_cls).
        // Patch rows must differ from a plain attention only through nothing: they match exactly.
        using var scope = NewDisposeScope();
        manual_seed(3);
        var masked = new Attention(Tiny, maskGuided: true);
        var plain = new Attention(Tiny, maskGuided: false);
        plain.load_state_dict(masked.state_dict());
        var x = randn(1, Tiny.TokenCount, Tiny.EmbedDim);
        var onlyCls = zeros(new long[] { 1, Tiny.TokenCount }, dtype: ScalarType.Bool);
        onlyCls[0, 0] = tensor(true);

        var maskedOut = masked.forward(x, onlyCls);
        var plainOut = plain.forward(x, null);
        var clsAlone = plain.forward(x.narrow(1, 0, 1), null); // attention over a single token = proj(v)

        Assert.True(maskedOut.narrow(1, 1, Tiny.PatchCount).sub(plainOut.narrow(1, 1, Tiny.PatchCount)).abs().max().item<float>() < 1e-6f);
        Assert.True(maskedOut.narrow(1, 0, 1).sub(clsAlone).abs().max().item<float>() < 1e-6f);
        Assert.True(maskedOut.narrow(1, 0, 1).sub(plainOut.narrow(1, 0, 1)).abs().max().item<float>() > 1e-4f);
    }

    [Fact]
    public void MaskGuidedBlock_ClsIgnoresHiddenTokenContent_PatchesDoNot()
    {
        using var scope = NewDisposeScope();
        manual_seed(4);
        var block = new Block(Tiny, maskGuided: true);
        var x = randn(2, Tiny.TokenCount, Tiny.EmbedDim);
        var visible = SomeVisibility();
        var hidden = visible.logical_not().unsqueeze(-1); // [B,T,1]
        var changed = where(hidden, randn(2, Tiny.TokenCount, Tiny.EmbedDim), x);

        var before = block.forward(x, visible);
        var after = block.forward(changed, visible);

        var clsChange = before.select(1, 0).sub(after.select(1, 0)).abs().max().item<float>();
        var patchChange = before.narrow(1, 1, Tiny.PatchCount).sub(after.narrow(1, 1, Tiny.PatchCount)).abs().max().item<float>();
        Assert.True(clsChange < 1e-6f, $"CLS changed by {clsChange}");
        Assert.True(patchChange > 1e-2f, $"patch outputs changed only by {patchChange}");
    }
}
