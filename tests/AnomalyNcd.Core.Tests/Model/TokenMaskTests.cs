using AnomalyNcd.Core.Model;
using static TorchSharp.torch;

namespace AnomalyNcd.Core.Tests.Model;

public class TokenMaskTests
{
    [Fact]
    public void VisibleToCls_PooledExactlyHalf_IsVisible()
    {
        using var scope = NewDisposeScope();
        // 16×16 mask, patch 8 → 2×2 tokens. Token (0,0): 32 of 64 pixels set (0.5); token (0,1): 31 (< 0.5);
        // token (1,0): all set; token (1,1): none.
        var mask = zeros(1, 1, 16, 16);
        mask[0, 0, TensorIndex.Slice(0, 4), TensorIndex.Slice(0, 8)] = tensor(1f);
        mask[0, 0, TensorIndex.Slice(0, 4), TensorIndex.Slice(8, 16)] = tensor(1f);
        mask[0, 0, 3, 15] = tensor(0f);
        mask[0, 0, TensorIndex.Slice(8, 16), TensorIndex.Slice(0, 8)] = tensor(1f);

        var pooled = TokenMask.Pooled(mask, 8);
        var visible = TokenMask.VisibleToCls(mask, 8);

        Assert.Equal(new[] { 1f, 0.5f, 31f / 64f, 1f, 0f }, pooled[0].data<float>().ToArray());
        Assert.Equal(new[] { true, true, false, true, false }, visible[0].data<bool>().ToArray());
    }

    [Fact]
    public void VisibleToCls_SoftMask_FlattensRowMajor()
    {
        using var scope = NewDisposeScope();
        // Only the top-right patch is 0.75 everywhere: it is token 2 (row 0, column 1), not token 3.
        var mask = zeros(1, 1, 16, 16);
        mask[0, 0, TensorIndex.Slice(0, 8), TensorIndex.Slice(8, 16)] = tensor(0.75f);

        var visible = TokenMask.VisibleToCls(mask, 8);

        Assert.Equal(new[] { true, false, true, false, false }, visible[0].data<bool>().ToArray());
    }
}
