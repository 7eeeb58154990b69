namespace AnomalyNcd.Core.Training;

/// <summary>Weights and temperatures of the AnomalyNCD objective (method-spec §3.1, §9.2); defaults are the reference's.</summary>
public sealed record NcdObjectiveOptions
{
    /// <summary>λ: weight of the supervised terms (SupCon + CE); 1 − λ weighs SimCLR + clustering.</summary>
    public double SupervisedWeight { get; init; } = 0.3;

    /// <summary>μ: weight of the mean-entropy regulariser inside each head's clustering loss.</summary>
    public double MeanEntropyWeight { get; init; } = 4.0;

    public double StudentTemperature { get; init; } = ClassificationLoss.DefaultStudentTemperature;

    public double SimClrTemperature { get; init; } = SimClrLoss.DefaultTemperature;

    public double SupConTemperature { get; init; } = SupConLoss.DefaultTemperature;

    public double SupConBaseTemperature { get; init; } = SupConLoss.DefaultBaseTemperature;
}
