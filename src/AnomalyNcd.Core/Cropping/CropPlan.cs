using OpenCvSharp;

namespace AnomalyNcd.Core.Cropping;

/// <summary>
/// The boxes of one image at every stage of method-spec §6: regions (external contours' bounding
/// rectangles, sorted), one square per region, the merged list, and the boxes actually cropped.
/// </summary>
public sealed record CropPlan(
    int ImageWidth,
    int ImageHeight,
    int EstimatedRegions,
    IReadOnlyList<Rect> Regions,
    IReadOnlyList<CropBox> BoxesBeforeMerge,
    IReadOnlyList<CropBox> BoxesMerged,
    IReadOnlyList<CropBox> Boxes);
