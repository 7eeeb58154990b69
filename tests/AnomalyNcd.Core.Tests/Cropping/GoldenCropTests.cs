using AnomalyNcd.Core.Binarization;
using AnomalyNcd.Core.Cropping;
using AnomalyNcd.Core.Imaging;
using OpenCvSharp;
using Xunit.Abstractions;

namespace AnomalyNcd.Core.Tests.Cropping;

/// <summary>
/// The crop stage against the reference implementation's outputs for all 60 golden maps: input image =
/// the map replicated to RGB, mask = the golden final mask, est and range from golden.json.
/// </summary>
public class GoldenCropTests(ITestOutputHelper output)
{
    private static readonly CropOptions MasksInMemory = CropOptions.Parity with { TreatAllForegroundMaskAsEmpty = false };

    private static readonly string[] FieldNames =
        ["boxes_before_merge", "boxes_merged", "boxes", "scores", "crop_sizes", "crop_mask_foreground", "crop_image_sum"];

    public static IEnumerable<object[]> Ids() => GoldenCropCase.Ids();

    [Theory]
    [MemberData(nameof(Ids))]
    public void CropStage_GoldenMap_ReproducesReferenceCropFunction(string id)
    {
        var golden = GoldenCropCase.Cases[id];
        var actual = RunCropStage(golden, MasksInMemory);
        AssertSame(golden.Crop, actual);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void CropStage_AllForegroundMaskAsEmpty_ReproducesAutoscaleRoundTrip(string id)
    {
        var golden = GoldenCropCase.Cases[id];
        var actual = RunCropStage(golden, CropOptions.Parity);
        AssertSame(golden.CropAfterAutoscaleSave ?? golden.Crop, actual);
    }

    [Fact]
    public void CropStage_AllGoldenMaps_EveryFieldMatches()
    {
        var matches = new int[FieldNames.Length];
        var autoscaleMatches = 0;
        var autoscaleCases = 0;
        foreach (var golden in GoldenCropCase.Cases.Values)
        {
            var fields = CompareFields(golden.Crop, RunCropStage(golden, MasksInMemory));
            for (var f = 0; f < fields.Length; f++)
            {
                matches[f] += fields[f] ? 1 : 0;
            }

            if (golden.CropAfterAutoscaleSave is { } autoscaled)
            {
                autoscaleCases++;
                autoscaleMatches += CompareFields(autoscaled, RunCropStage(golden, CropOptions.Parity)).All(m => m) ? 1 : 0;
            }
        }

        var total = GoldenCropCase.Cases.Count;
        for (var f = 0; f < FieldNames.Length; f++)
        {
            output.WriteLine($"{FieldNames[f]}: {matches[f]}/{total}");
        }

        output.WriteLine($"crop_after_autoscale_save (B1 on): {autoscaleMatches}/{autoscaleCases}");
        Assert.Equal(60, total);
        Assert.All(matches, m => Assert.Equal(total, m));
        Assert.True(autoscaleCases > 0, "the golden set should hold at least one all-foreground mask");
        Assert.Equal(autoscaleCases, autoscaleMatches);
    }

    private static GoldenCropOutput RunCropStage(GoldenCropCase golden, CropOptions options)
    {
        var map = ImageFiles.ReadGray(golden.MapPath);
        var mask = ImageFiles.ReadGray(golden.MaskPath);
        using var gray = map.ToMat();
        using var image = new Mat();
        Cv2.CvtColor(gray, image, ColorConversionCodes.GRAY2RGB);
        using var result = SubImageCropper.Run(image, mask, golden.EstimatedRegions, map, new MebinRange(golden.MinTh, golden.MaxTh), options);
        return new GoldenCropOutput(
            ToArrays(result.Plan.BoxesBeforeMerge),
            ToArrays(result.Plan.BoxesMerged),
            ToArrays(result.Plan.Boxes),
            result.Crops.Select(c => c.Score!.Value).ToArray(),
            result.Crops.Select(c => new[] { c.Image.Width, c.Image.Height }).ToArray(),
            result.Crops.Select(c => c.ForegroundArea).ToArray(),
            result.Crops.Select(c => SumOfChannels(c.Image)).ToArray());
    }

    private static double[][] ToArrays(IReadOnlyList<CropBox> boxes) =>
        boxes.Select(b => new[] { b.Left, b.Up, b.Right, b.Bottom }).ToArray();

    private static long SumOfChannels(Mat image)
    {
        var sum = Cv2.Sum(image);
        return (long)(sum.Val0 + sum.Val1 + sum.Val2);
    }

    private static bool[] CompareFields(GoldenCropOutput expected, GoldenCropOutput actual) =>
    [
        SameNested(expected.BoxesBeforeMerge, actual.BoxesBeforeMerge),
        SameNested(expected.BoxesMerged, actual.BoxesMerged),
        SameNested(expected.Boxes, actual.Boxes),
        expected.Scores.SequenceEqual(actual.Scores),
        SameNested(expected.CropSizes, actual.CropSizes),
        expected.CropMaskForeground.SequenceEqual(actual.CropMaskForeground),
        expected.CropImageSum.SequenceEqual(actual.CropImageSum),
    ];

    private static bool SameNested<T>(T[][] expected, T[][] actual) =>
        expected.Length == actual.Length && expected.Zip(actual).All(pair => pair.First.SequenceEqual(pair.Second));

    private static void AssertSame(GoldenCropOutput expected, GoldenCropOutput actual)
    {
        Assert.Equal(expected.BoxesBeforeMerge, actual.BoxesBeforeMerge);
        Assert.Equal(expected.BoxesMerged, actual.BoxesMerged);
        Assert.Equal(expected.Boxes, actual.Boxes);
        Assert.Equal(expected.Scores, actual.Scores);
        Assert.Equal(expected.CropSizes, actual.CropSizes);
        Assert.Equal(expected.CropMaskForeground, actual.CropMaskForeground);
        Assert.Equal(expected.CropImageSum, actual.CropImageSum);
    }
}
