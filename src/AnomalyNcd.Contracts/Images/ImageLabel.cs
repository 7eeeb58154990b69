namespace AnomalyNcd.Contracts.Images;

/// <summary>The image-level label merged from its regions (area-weighted), with the class probabilities.</summary>
[GenerateSerializer, Alias("anomalyncd.ImageLabel")]
public sealed record ImageLabel(string ClassId, string? ClassName, double Confidence, Dictionary<string, double> Probabilities);
