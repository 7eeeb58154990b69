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
    /// Off (the reference): the mean-entropy term spreads every unlabelled crop's predictions over the classes. On: only
    /// the crops with a region, over the novel classes after the designated normal one. Crops without a region (images
    /// whose mask is empty, cropped whole) all look alike (method-spec B13); under the reference's form they carry a
    /// share of one class that no defect then takes (MTD, ground-truth masks: 0.39 of their probability on a class that
    /// won no crop, docs/RESULTS.md). Pseudo-label correction still pulls them to the normal class.
    /// </summary>
    public bool MeanEntropyOverRegionsOnly { get; init; }

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
