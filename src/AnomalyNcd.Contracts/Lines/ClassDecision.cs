namespace AnomalyNcd.Contracts.Lines;

/// <summary>An operator's decision on the class catalogue, kept with who, when and before/after for the audit log.</summary>
[GenerateSerializer, Alias("anomalyncd.ClassDecision")]
public sealed record ClassDecision(
    string LineId,
    string Action,
    string User,
    DateTimeOffset At,
    string Before,
    string After);
