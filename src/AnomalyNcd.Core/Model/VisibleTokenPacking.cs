using static TorchSharp.torch;

namespace AnomalyNcd.Core.Model;

/// <summary>
/// Where the tokens visible to CLS go when they are packed: a hidden token gets logit −1e9 in the CLS row, whose
/// softmax weight underflows to exactly 0, so only visible tokens can change the CLS token. Packing them lets the
/// per-token work (projection, norm, keys and values) follow the masks' area instead of the grid's size.
/// </summary>
/// <param name="Source">Flat indices into [B·N] of the visible tokens, row by row [V].</param>
/// <param name="Column">Grid position of each visible token [V] (for the position embedding).</param>
/// <param name="Slot">Flat index into the padded [B·Width] layout of each visible token [V].</param>
/// <param name="Present">Bool [B, Width]: slots that hold a visible token (the rest are padding, hidden).</param>
/// <param name="Width">Visible tokens of the row that has most (at least 1).</param>
public sealed record VisibleTokenPacking(Tensor Source, Tensor Column, Tensor Slot, Tensor Present, long Width)
{
    /// <param name="visible">Bool [B, N].</param>
    public static VisibleTokenPacking From(Tensor visible)
    {
        var batch = visible.shape[0];
        var tokens = visible.shape[1];
        var source = visible.reshape(-1).nonzero().reshape(-1);
        var row = source.div(tokens, rounding_mode: RoundingMode.floor);
        var column = source.remainder(tokens);
        var counts = visible.sum(1, type: ScalarType.Int64);
        var width = Math.Max(1L, counts.max().item<long>());
        var rowStart = counts.cumsum(0).sub(counts);
        var slot = row.mul(width).add(arange(source.shape[0], ScalarType.Int64, source.device)).sub(rowStart.index_select(0, row));
        var present = arange(width, ScalarType.Int64, visible.device).unsqueeze(0).lt(counts.unsqueeze(1));
        return new VisibleTokenPacking(source, column, slot, present, width);
    }

    /// <summary>Packed rows [V, D] laid out as [B, Width, D], padding zero.</summary>
    public Tensor Pad(Tensor packed)
    {
        var batch = Present.shape[0];
        var dim = packed.shape[1];
        return zeros(new long[] { batch * Width, dim }, packed.dtype, packed.device).index_copy(0, Slot, packed).view(batch, Width, dim);
    }
}
