namespace AnomalyNcd.Contracts.Regions;

/// <summary>What an operator decided about one region (moved to a class, rejected as normal), with who and when.</summary>
[GenerateSerializer, Alias("anomalyncd.OperatorDecision")]
public sealed record OperatorDecision(string Action, string? ClassId, string User, DateTimeOffset At);
