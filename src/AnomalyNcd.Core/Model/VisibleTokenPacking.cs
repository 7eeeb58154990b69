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
    /// <remarks>The indices are computed from the flags on the host (the shapes depend on them) and placed on the flags' device.</remarks>
    public static VisibleTokenPacking From(Tensor visible)
    {
        var batch = checked((int)visible.shape[0]);
        var tokens = checked((int)visible.shape[1]);
        using var onHost = visible.cpu();
        var flags = onHost.data<bool>().ToArray();
        var counts = new int[batch];
        for (var b = 0; b < batch; b++)
        {
            counts[b] = flags.AsSpan(b * tokens, tokens).Count(true);
        }

        var width = Math.Max(1, counts.Max());
        var total = counts.Sum();
        var source = new long[total];
        var column = new long[total];
        var slot = new long[total];
        var present = new bool[batch * width];
        var next = 0;
        for (var b = 0; b < batch; b++)
        {
            var rank = 0;
            for (var t = 0; t < tokens; t++)
            {
                if (!flags[(b * tokens) + t])
                {
                    continue;
                }

                source[next] = ((long)b * tokens) + t;
                column[next] = t;
                slot[next] = ((long)b * width) + rank;
                present[(b * width) + rank] = true;
                rank++;
                next++;
            }
        }

        var device = visible.device;
        return new VisibleTokenPacking(
            tensor(source, device: device), tensor(column, device: device), tensor(slot, device: device), tensor(present, device: device).view(batch, width), width);
    }

    /// <summary>Packed rows [V, D] laid out as [B, Width, D], padding zero.</summary>
    public Tensor Pad(Tensor packed)
    {
        var batch = Present.shape[0];
        var dim = packed.shape[1];
        return zeros(new long[] { batch * Width, dim }, packed.dtype, packed.device).index_copy(0, Slot, packed).view(batch, Width, dim);
    }
}
