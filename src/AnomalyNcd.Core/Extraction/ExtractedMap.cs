using AnomalyNcd.Core.Binarization;
using AnomalyNcd.Core.Cropping;
using AnomalyNcd.Core.Imaging;

namespace AnomalyNcd.Core.Extraction;

/// <summary>MEBin's result for one map (the raw map kept for crop scores) and the crop boxes planned at its image's size.</summary>
public sealed record ExtractedMap(
    MapEntry Entry,
    GrayImage Map,
    int MapWidth,
    int MapHeight,
    MebinResult Mebin,
    CropPlan Plan);
