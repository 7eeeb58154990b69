namespace AnomalyNcd.Contracts.Lines;

[GenerateSerializer, Alias("anomalyncd.ClassStatus")]
public enum ClassStatus
{
    /// <summary>Discovered by training, not yet reviewed.</summary>
    Proposed = 0,

    /// <summary>Reviewed and named by an operator: a labelled base class for the next run.</summary>
    Confirmed = 1,

    /// <summary>Judged normal or a false detection by an operator.</summary>
    Rejected = 2,
}
