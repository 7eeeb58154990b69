using static TorchSharp.torch;

namespace AnomalyNcd.Core.Training;

/// <summary>
/// Balanced teacher targets by Sinkhorn-Knopp (as in UNO, Fini et al. 2021): the sharpened teacher probabilities of
/// one view's rows are rescaled, alternately per class and per row, towards equal class totals over the rows. A class
/// that the plain softmax teacher lets drain (every crop predicted elsewhere, its mean probability kept up by soft
/// mass alone) still receives its share of the rows as targets. Measured on MTD, that does not keep it in use on the
/// test view (docs/RESULTS.md, "Where the kinds are lost"), so it is an option, not the default.
/// </summary>
public static class SinkhornBalancing
{
    public const int DefaultIterations = 3;

    /// <param name="logits">[n, C] teacher logits of one view's rows over the classes to balance (detached).</param>
    /// <param name="temperature">Sharpening ε (the teacher temperature of the epoch).</param>
    /// <returns>[n, C] targets: each row sums to 1, each column to about n / C.</returns>
    public static Tensor Targets(Tensor logits, double temperature, int iterations = DefaultIterations)
    {
        if (logits.dim() != 2 || logits.shape[0] == 0 || logits.shape[1] == 0)
        {
            throw new ArgumentException($"Sinkhorn needs [n, C] logits with n, C >= 1, got [{string.Join(", ", logits.shape)}]", nameof(logits));
        }

        if (!(temperature > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "must be positive");
        }

        using var scope = NewDisposeScope();
        var rows = logits.shape[0];
        var classes = logits.shape[1];
        // Subtracting each class's maximum keeps exp finite and every class total ≥ 1; a per-class constant cancels
        // in the first class normalisation.
        var scaled = logits.detach().to_type(ScalarType.Float64).DividedBy(temperature);
        var q = scaled.Minus(scaled.max(0, keepdim: true).values).exp();
        for (var i = 0; i < iterations; i++)
        {
            q = (q / q.sum(0, keepdim: true)).DividedBy(classes);
            q = (q / q.sum(1, keepdim: true).AtLeast(1e-300)).DividedBy(rows);
        }

        return q.Times(rows).to_type(logits.dtype).MoveToOuterDisposeScope();
    }
}
