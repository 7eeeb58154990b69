using AnomalyNcd.Core.Imaging;
using OpenCvSharp;

namespace AnomalyNcd.Core.Binarization;

/// <summary>
/// MEBin exactly as the reference loop runs it (method-spec §5.3–5.5), with OpenCV: for every
/// threshold a binary map, a 6×6 erosion and a connected-component labelling. Slow (64 full passes
/// per map); kept as the parity oracle for <see cref="MebinFast"/>.
/// </summary>
public static class MebinReference
{
    public static MebinResult Binarize(GrayImage map, MebinRange range, MebinOptions? options = null)
    {
        options ??= MebinOptions.Default;
        var thresholds = options.NormalizedThresholds();
        var normalized = range.NormalizationTable();

        using var raw = map.ToMat();
        using var kernel = Mat.Ones(options.ErodeKernelSize, options.ErodeKernelSize, MatType.CV_8UC1).ToMat();
        using var binary = new Mat(map.Height, map.Width, MatType.CV_8UC1);
        using var eroded = new Mat();
        using var labels = new Mat();
        using var stats = new Mat();
        using var centroids = new Mat();
        var binaryPixels = new byte[map.Pixels.Length];

        var counts = new int[thresholds.Length];
        for (var j = 0; j < thresholds.Length; j++)
        {
            var t = thresholds[j];
            for (var p = 0; p < binaryPixels.Length; p++)
            {
                binaryPixels[p] = normalized[map.Pixels[p]] > t ? (byte)255 : (byte)0;
            }

            System.Runtime.InteropServices.Marshal.Copy(binaryPixels, 0, binary.Data, binaryPixels.Length);
            var counted = binary;
            if (options.Erode)
            {
                Cv2.Erode(binary, eroded, kernel);
                counted = eroded;
            }

            var labelCount = Cv2.ConnectedComponentsWithStats(counted, labels, stats, centroids, PixelConnectivity.Connectivity8);
            counts[j] = labelCount - 1;
        }

        var choice = StableThresholdSelector.Select(counts, range, options);
        return new MebinResult(counts, choice, FinalMask(map, choice.Threshold, options, kernel));
    }

    /// <summary>Final mask: erode(255 · (A &gt; T)) on the raw map (method-spec §5.5).</summary>
    private static GrayImage FinalMask(GrayImage map, int threshold, MebinOptions options, Mat kernel)
    {
        var above = new GrayImage(map.Width, map.Height);
        for (var p = 0; p < above.Pixels.Length; p++)
        {
            above.Pixels[p] = map.Pixels[p] > threshold ? (byte)255 : (byte)0;
        }

        if (!options.Erode)
        {
            return above;
        }

        using var mat = above.ToMat();
        using var eroded = new Mat();
        Cv2.Erode(mat, eroded, kernel);
        return GrayImage.FromMat(eroded);
    }
}
