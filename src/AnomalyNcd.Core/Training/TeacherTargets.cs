namespace AnomalyNcd.Core.Training;

/// <summary>How the self-distillation teacher turns its logits into targets over the novel classes.</summary>
public enum TeacherTargets
{
    /// <summary>softmax(logits / τ_t) per row (the reference).</summary>
    Softmax,

    /// <summary>Sinkhorn-Knopp balancing over each view's rows (<see cref="SinkhornBalancing"/>): every class keeps a share of the targets.</summary>
    Sinkhorn,
}
