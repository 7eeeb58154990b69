using AnomalyNcd.Core.Imaging;
using OpenCvSharp;

namespace AnomalyNcd.Core.Training.Data;

/// <summary>
/// One training/evaluation sample of novel-class discovery (method-spec §7.1): a crop at its native
/// resolution, its 0/255 mask and what training may know about it. Owns the image Mat.
/// </summary>
public sealed class CropSample : IDisposable
{
    public CropSample(
        Mat image,
        GrayImage mask,
        int label,
        double score,
        string sourceImage,
        int regionIndex,
        int evaluationClass = -1)
    {
        if (image.Type() != MatType.CV_8UC3)
        {
            throw new ArgumentException($"expected an 8-bit 3-channel RGB crop, got {image.Type()}", nameof(image));
        }

        if (image.Width != mask.Width || image.Height != mask.Height)
        {
            throw new ArgumentException($"crop is {image.Width}x{image.Height} but its mask is {mask.Width}x{mask.Height}", nameof(mask));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(label, -1);
        Image = image;
        Mask = mask;
        Label = label;
        Score = score;
        SourceImage = sourceImage;
        RegionIndex = regionIndex;
        ForegroundArea = mask.CountNonZero();
        EvaluationClass = evaluationClass;
    }

    /// <summary>RGB, 8-bit, 3 channels.</summary>
    public Mat Image { get; }

    /// <summary>0/255 crop mask at the crop's resolution.</summary>
    public GrayImage Mask { get; }

    /// <summary>Training label: a base class index 0..L-1, or -1 for an unlabelled (novel) crop.</summary>
    public int Label { get; }

    public bool IsLabelled => Label >= 0;

    /// <summary>Crop anomaly score (about 0..1, §6.6); drives pseudo-label correction of unlabelled crops.</summary>
    public double Score { get; }

    /// <summary>The image the crop was cut from (manifest path), the unit of region merging (§10.2).</summary>
    public string SourceImage { get; }

    /// <summary>k of the image's k-th crop (descending box area).</summary>
    public int RegionIndex { get; }

    /// <summary>Number of non-zero mask pixels (the area region merging weighs by).</summary>
    public int ForegroundArea { get; }

    /// <summary>
    /// Ground-truth class index in the combined list (base 0..L-1, novel L..K-1), -1 when unknown.
    /// For unlabelled crops it is for evaluation only and must never reach the training loss.
    /// </summary>
    public int EvaluationClass { get; }

    public void Dispose() => Image.Dispose();
}
