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
        using var binary = new Mat();
        using var eroded = new Mat();
        using var labels = new Mat();
        using var stats = new Mat();
        using var centroids = new Mat();
        var table = new byte[256];
        using var tableMat = new Mat(1, 256, MatType.CV_8UC1);

        var counts = new int[thresholds.Length];
        for (var j = 0; j < thresholds.Length; j++)
        {
            var t = thresholds[j];

            // B = 255 where norm(a) > t: the comparison is made once per raw value, then applied by lookup
            for (var a = 0; a < 256; a++)
            {
                table[a] = normalized[a] > t ? (byte)255 : (byte)0;
            }

            System.Runtime.InteropServices.Marshal.Copy(table, 0, tableMat.Data, table.Length);
            Cv2.LUT(raw, tableMat, binary);
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
        using var raw = map.ToMat();
        using var above = new Mat();
        Cv2.Compare(raw, Scalar.All(threshold), above, CmpTypes.GT); // 255 where A > T
        if (!options.Erode)
        {
            return GrayImage.FromMat(above);
        }

        using var eroded = new Mat();
        Cv2.Erode(above, eroded, kernel);
        return GrayImage.FromMat(eroded);
    }
}
