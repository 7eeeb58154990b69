using AnomalyNcd.Contracts.Artefacts;
using AnomalyNcd.Contracts.Regions;

namespace AnomalyNcd.Contracts.Inference;

[GenerateSerializer, Alias("anomalyncd.CropToClassify")]
public sealed record CropToClassify(RegionKey Region, ArtefactRef Crop, ArtefactRef CropMask, int Area);

/// <summary>A crop's class under a model: the class id, its probability and the full distribution (for merging).</summary>
[GenerateSerializer, Alias("anomalyncd.CropPrediction")]
public sealed record CropPrediction(RegionKey Region, string ClassId, double Confidence, Dictionary<string, double> Probabilities, ArtefactRef? Embedding);
