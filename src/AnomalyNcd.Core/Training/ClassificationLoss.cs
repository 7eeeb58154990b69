using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AnomalyNcd.Core.Training;

/// <summary>
/// Supervised cross-entropy of one head (method-spec §9.2 step 3): CE of logits / τ_s over the
/// labelled rows of both views, averaged over rows.
/// </summary>
public static class ClassificationLoss
{
    public const double DefaultStudentTemperature = 0.1;

    /// <param name="labelledLogits">[2n_l, K] cosine logits of the labelled rows (both views).</param>
    /// <param name="labels">[2n_l] class indices matching the rows.</param>
    public static Tensor Compute(Tensor labelledLogits, Tensor labels, double studentTemperature = DefaultStudentTemperature)
    {
        if (labelledLogits.dim() != 2 || labels.dim() != 1 || labels.shape[0] != labelledLogits.shape[0] || labels.shape[0] == 0)
        {
            throw new ArgumentException(
                $"cross-entropy needs [N, K] logits and [N] labels with N >= 1, got [{string.Join(", ", labelledLogits.shape)}] and [{string.Join(", ", labels.shape)}]",
                nameof(labelledLogits));
        }

        return functional.cross_entropy(labelledLogits.DividedBy(studentTemperature), labels);
    }
}
