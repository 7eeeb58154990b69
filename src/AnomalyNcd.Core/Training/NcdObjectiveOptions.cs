namespace AnomalyNcd.Core.Training;

/// <summary>Weights and temperatures of the AnomalyNCD objective (method-spec §3.1, §9.2); defaults are the reference's.</summary>
public sealed record NcdObjectiveOptions
{
    /// <summary>λ: weight of the supervised terms (SupCon + CE); 1 − λ weighs SimCLR + clustering.</summary>
    public double SupervisedWeight { get; init; } = 0.3;

    /// <summary>μ: weight of the mean-entropy regulariser inside each head's clustering loss.</summary>
    public double MeanEntropyWeight { get; init; } = 4.0;

    /// <summary>
    /// Off (the reference): the mean-entropy term spreads the unlabelled predictions over all K classes, base ones
    /// included. On: over the novel classes only, as the distillation target does. With few unlabelled regions next
    /// to operator-labelled ones, the reference's form pulls every prediction towards uniform and even the labelled
    /// crops are not fitted (the dashboard e2e retraining: a labelled spot's own class at 0.355 with the reference's
    /// form, 0.999 with this option).
    /// </summary>
    public bool MeanEntropyOverNovelClassesOnly { get; init; }

    /// <summary>
    /// Off (the reference): the mean-entropy term averages every unlabelled crop's own prediction. On: a crop without a
    /// region (an image whose mask is empty, cropped whole) counts as certain of the normal class. Such crops all look
    /// alike (method-spec B13); under the reference's form they spread a share of their probability over one class that
    /// then wins no defect (MTD, ground-truth masks: 0.39 of their probability on a class that won 0–3 images, every
    /// head; docs/RESULTS.md), so two kinds share a class.
    /// </summary>
    public bool RegionlessCropsCountAsNormal { get; init; }

    /// <summary>
    /// How the teacher's targets are formed: softmax (the reference) or Sinkhorn-balanced over each view's rows, which
    /// gives every novel class a share of the targets (measured: it does not keep a class from emptying on MTD).
    /// </summary>
    public TeacherTargets TeacherTargets { get; init; } = TeacherTargets.Softmax;

    public double StudentTemperature { get; init; } = ClassificationLoss.DefaultStudentTemperature;

    public double SimClrTemperature { get; init; } = SimClrLoss.DefaultTemperature;

    public double SupConTemperature { get; init; } = SupConLoss.DefaultTemperature;

    public double SupConBaseTemperature { get; init; } = SupConLoss.DefaultBaseTemperature;
}
