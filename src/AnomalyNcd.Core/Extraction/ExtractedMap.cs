using AnomalyNcd.Core.Binarization;
using AnomalyNcd.Core.Cropping;

namespace AnomalyNcd.Core.Extraction;

/// <summary>MEBin's result for one map and the crop boxes planned at its image's size.</summary>
public sealed record ExtractedMap(
    MapEntry Entry,
    int MapWidth,
    int MapHeight,
    MebinResult Mebin,
    CropPlan Plan);
