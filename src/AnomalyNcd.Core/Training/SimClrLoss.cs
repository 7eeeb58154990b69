using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AnomalyNcd.Core.Training;

/// <summary>
/// Self-supervised contrastive loss (SimCLR NT-Xent, method-spec §9.2 step 1) over all 2B rows:
/// rows 0..B-1 are view 0 and rows B..2B-1 view 1; a row's positive is the other view of its sample,
/// every other row (either view) is a negative.
/// </summary>
public static class SimClrLoss
{
    public const double DefaultTemperature = 1.0;

    /// <param name="projections">Projector outputs z [2B, d], not necessarily normalised.</param>
    public static Tensor Compute(Tensor projections, double temperature = DefaultTemperature)
    {
        var rows = projections.shape[0];
        if (projections.dim() != 2 || rows < 2 || rows % 2 != 0)
        {
            throw new ArgumentException($"SimCLR needs [2B, d] projections with B >= 1, got [{string.Join(", ", projections.shape)}]", nameof(projections));
        }

        var half = rows / 2;
        var unit = functional.normalize(projections, p: 2.0, dim: 1);
        var similarity = unit.matmul(unit.t()).DividedBy(temperature);
        // A row never competes with itself: -inf drops it from the softmax denominator.
        var self = eye(rows, dtype: ScalarType.Bool, device: projections.device);
        var logits = similarity.FilledWhere(self, double.NegativeInfinity);
        var positives = cat(new[]
        {
            HeldScalars.Range(half, rows, projections.device),
            HeldScalars.Range(0, half, projections.device),
        });
        return functional.cross_entropy(logits, positives);
    }
}
