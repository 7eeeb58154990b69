using System.Text.Json;

namespace AnomalyNcd.Core.Tests.Cropping;

/// <summary>The "crop" record of a golden map: boxes at each stage and per-crop measurements.</summary>
public sealed record GoldenCropOutput(
    double[][] BoxesBeforeMerge,
    double[][] BoxesMerged,
    double[][] Boxes,
    float[] Scores,
    int[][] CropSizes,
    int[] CropMaskForeground,
    long[] CropImageSum)
{
    public static GoldenCropOutput Parse(JsonElement crop) => new(
        ReadBoxes(crop, "boxes_before_merge"),
        ReadBoxes(crop, "boxes_merged"),
        ReadBoxes(crop, "boxes"),
        crop.GetProperty("scores").EnumerateArray().Select(s => (float)s.GetDouble()).ToArray(),
        crop.GetProperty("crop_sizes").EnumerateArray().Select(s => s.EnumerateArray().Select(v => v.GetInt32()).ToArray()).ToArray(),
        crop.GetProperty("crop_mask_foreground").EnumerateArray().Select(v => v.GetInt32()).ToArray(),
        crop.GetProperty("crop_image_sum").EnumerateArray().Select(v => v.GetInt64()).ToArray());

    private static double[][] ReadBoxes(JsonElement crop, string name) =>
        crop.GetProperty(name).EnumerateArray().Select(b => b.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
}
