using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AnomalyNcd.Core.Training;

/// <summary>
/// Supervised contrastive loss (method-spec §9.2 step 2) over the labelled samples' two views.
/// Every view-row is an anchor; its positives are all other rows with the same label (always
/// including its own other view); the denominator runs over every row except the anchor.
/// </summary>
public static class SupConLoss
{
    public const double DefaultTemperature = 0.07;
    public const double DefaultBaseTemperature = 0.07;

    /// <param name="projections">[2n, d]: rows 0..n-1 view 0 and n..2n-1 view 1 of the same n samples.</param>
    /// <param name="labels">[n] integer class labels of the samples.</param>
    public static Tensor Compute(
        Tensor projections,
        Tensor labels,
        double temperature = DefaultTemperature,
        double baseTemperature = DefaultBaseTemperature)
    {
        var rows = projections.shape[0];
        if (projections.dim() != 2 || rows < 2 || rows % 2 != 0 || labels.dim() != 1 || labels.shape[0] * 2 != rows)
        {
            throw new ArgumentException(
                $"SupCon needs [2n, d] projections and [n] labels, got [{string.Join(", ", projections.shape)}] and [{string.Join(", ", labels.shape)}]",
                nameof(projections));
        }

        var unit = functional.normalize(projections, p: 2.0, dim: 1);
        var logits = unit.matmul(unit.t()).DividedBy(temperature);
        // The reference subtracts the detached row max for stability; log-softmax is invariant to it.
        logits = logits.Minus(logits.max(1, keepdim: true).values.detach());

        var self = eye(rows, dtype: ScalarType.Bool, device: projections.device);
        var logDenominator = logits.FilledWhere(self, double.NegativeInfinity).logsumexp(1, keepdim: true);
        var logProbability = logits.Minus(logDenominator);

        var bothViewLabels = cat(new[] { labels, labels });
        var positive = bothViewLabels.unsqueeze(1).eq(bothViewLabels.unsqueeze(0)).logical_and(self.logical_not())
            .to_type(logits.dtype);
        var meanLogProbabilityOfPositives = (positive * logProbability).sum(1) / positive.sum(1);
        return meanLogProbabilityOfPositives.mean().Times(-(temperature / baseTemperature));
    }
}
