namespace AnomalyNcd.Contracts.Training;

/// <summary>Starts discovery on a line's accumulated regions. ClassCount null = the line's setting (or auto).</summary>
[GenerateSerializer, Alias("anomalyncd.TrainingRequest")]
public sealed record TrainingRequest(int? ClassCount, int Epochs, int Seed, string RequestedBy);
