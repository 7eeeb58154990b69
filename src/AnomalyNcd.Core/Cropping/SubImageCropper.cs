using AnomalyNcd.Core.Binarization;
using AnomalyNcd.Core.Imaging;
using OpenCvSharp;

namespace AnomalyNcd.Core.Cropping;

/// <summary>
/// The whole crop stage for one image (method-spec §6): mask preparation, box plan, crops, crop masks,
/// foreground areas and scores.
/// </summary>
public static class SubImageCropper
{
    /// <param name="image">RGB, 8-bit, 3 channels (as <see cref="ImageFiles.ReadRgb"/> returns).</param>
    /// <param name="mask">Final binary mask (0/255), at image or map resolution.</param>
    /// <param name="estimatedRegions">MEBin's estimated region count (0 = no anomaly).</param>
    /// <param name="rawMap">Raw 8-bit anomaly map for the scores, or null (labelled data has none).</param>
    /// <param name="range">The set's MEBin range; required with <paramref name="rawMap"/>.</param>
    public static CropStageResult Run(
        Mat image,
        GrayImage mask,
        int estimatedRegions,
        GrayImage? rawMap = null,
        MebinRange? range = null,
        CropOptions? options = null)
    {
        options ??= CropOptions.Parity;
        if (image.Empty() || image.Type() != MatType.CV_8UC3)
        {
            throw new ArgumentException($"expected a non-empty 8-bit 3-channel RGB image, got {image.Type()}", nameof(image));
        }

        if (rawMap is not null && range is null)
        {
            throw new ArgumentException("a MEBin range is needed to score crops against the anomaly map", nameof(range));
        }

        var preparedMask = CropMasks.PrepareForCropping(mask, image.Width, image.Height, options);
        var plan = CropBoxPlanner.Plan(preparedMask, estimatedRegions, options);
        var scorer = rawMap is null ? null : new CropScorer(rawMap, range!.Value, image.Width, image.Height);
        return Cut(image, preparedMask, plan, scorer);
    }

    /// <summary>
    /// Cuts the planned boxes out of the image and the prepared mask (both at image size) and scores them;
    /// for callers that planned already.
    /// </summary>
    public static CropStageResult Cut(Mat image, GrayImage preparedMask, CropPlan plan, CropScorer? scorer)
    {
        if ((preparedMask.Width, preparedMask.Height) != (image.Width, image.Height))
        {
            throw new ArgumentException($"mask {preparedMask.Width}x{preparedMask.Height} does not fit image {image.Width}x{image.Height}", nameof(preparedMask));
        }

        var crops = new List<AnomalyCrop>(plan.Boxes.Count);
        try
        {
            for (var k = 0; k < plan.Boxes.Count; k++)
            {
                var box = plan.Boxes[k];
                var pixelBox = box.ToPixelBox();
                var cropImage = PilCrop.CropColor(image, pixelBox);
                crops.Add(new AnomalyCrop(k, box, cropImage, PilCrop.CropGray(preparedMask, pixelBox), scorer?.Score(pixelBox)));
            }
        }
        catch
        {
            crops.ForEach(c => c.Dispose());
            throw;
        }

        return new CropStageResult(plan, crops);
    }
}
