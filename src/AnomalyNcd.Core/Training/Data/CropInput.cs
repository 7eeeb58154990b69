using AnomalyNcd.Core.Cropping;
using AnomalyNcd.Core.Imaging;
using OpenCvSharp;

namespace AnomalyNcd.Core.Training.Data;

/// <summary>
/// A crop before class indexing: image, mask, class name (the base class for labelled crops, the
/// ground-truth class for unlabelled ones, null when unknown) and where it came from (for messages).
/// </summary>
public sealed record CropInput(Mat Image, GrayImage Mask, string? ClassName, double Score, string SourceImage, int RegionIndex, string Origin)
{
    /// <summary>Wraps an in-memory crop of the crop stage; the image is cloned so the dataset owns its own copy.</summary>
    public static CropInput FromAnomalyCrop(AnomalyCrop crop, string sourceImage, string? className) =>
        new(crop.Image.Clone(), crop.Mask.Clone(), className, crop.ScoreFraction ?? 0, sourceImage, crop.Index, $"{sourceImage}#crop{crop.Index}");
}
