using AnomalyNcd.Core.Imaging;
using OpenCvSharp;

namespace AnomalyNcd.Core.Training.Data;

/// <summary>
/// A crop before class indexing: image, mask, class name (the base class for labelled crops, the
/// ground-truth class for unlabelled ones, null when unknown) and where it came from (for messages).
/// </summary>
public sealed record CropInput(Mat Image, GrayImage Mask, string? ClassName, double Score, string SourceImage, int RegionIndex, string Origin);
