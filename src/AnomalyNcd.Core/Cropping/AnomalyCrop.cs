using AnomalyNcd.Core.Imaging;
using OpenCvSharp;

namespace AnomalyNcd.Core.Cropping;

/// <summary>
/// One anomaly-centred sub-image (method-spec §6.5–6.6): the k-th kept box (descending area), its RGB crop
/// and mask crop at native resolution, the mask's foreground area (the area region merging weighs by,
/// §10.2) and the crop score. Owns the crop Mat.
/// </summary>
public sealed class AnomalyCrop : IDisposable
{
    public AnomalyCrop(int index, CropBox box, Mat image, GrayImage mask, float? score)
    {
        Index = index;
        Box = box;
        PixelBox = box.ToPixelBox();
        Image = image;
        Mask = mask;
        ForegroundArea = mask.CountNonZero();
        Score = score;
    }

    /// <summary>k in the reference's file name "&lt;stem&gt;_crop&lt;k&gt;.png".</summary>
    public int Index { get; }

    public CropBox Box { get; }

    /// <summary>The box after PIL's half-to-even rounding; its size is the crop size.</summary>
    public PixelBox PixelBox { get; }

    /// <summary>RGB, 8-bit, 3 channels, zero-padded where the box leaves the image.</summary>
    public Mat Image { get; }

    /// <summary>0/255, zero-padded where the box leaves the image.</summary>
    public GrayImage Mask { get; }

    /// <summary>Number of 255 pixels in <see cref="Mask"/>.</summary>
    public int ForegroundArea { get; }

    /// <summary>Peak normalised anomaly value inside the box on the 0–255 scale; null when no map was given.</summary>
    public float? Score { get; }

    /// <summary>The score as the pipeline stores and uses it (score / 255, about 0..1).</summary>
    public double? ScoreFraction => Score / 255.0;

    public void Dispose() => Image.Dispose();
}
