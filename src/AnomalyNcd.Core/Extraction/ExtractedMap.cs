using AnomalyNcd.Core.Binarization;
using AnomalyNcd.Core.Cropping;
using AnomalyNcd.Core.Imaging;

namespace AnomalyNcd.Core.Extraction;

/// <summary>
/// MEBin's result for one map (the raw map kept for crop scores), the mask prepared for cropping at its
/// image's size, and the crop boxes planned on it — computed once, used by planning and cutting alike.
/// </summary>
public sealed record ExtractedMap(
    MapEntry Entry,
    GrayImage Map,
    int MapWidth,
    int MapHeight,
    MebinResult Mebin,
    GrayImage CropMask,
    CropPlan Plan);
