namespace AnomalyNcd.Core.Inference;

/// <summary>
/// One crop's class under a model: the output index (0..K-1, base classes first), its probability, the
/// per-class probabilities of the selected head, and the projector output when asked for.
/// </summary>
public sealed record CropClassification(int ClassIndex, double Confidence, double[] Probabilities, float[]? Embedding);
