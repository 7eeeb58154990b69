using AnomalyNcd.Core.Imaging;
using OpenCvSharp;

namespace AnomalyNcd.Core.Synthetic;

/// <summary>One rendered image with its ground truth and its raw (not yet scaled) detector map.</summary>
public sealed class SyntheticSample
{
    public required string Line { get; init; }

    public required int Index { get; init; }

    /// <summary>File stem, zero-padded index (0000, 0001, ...).</summary>
    public required string Id { get; init; }

    /// <summary><see cref="DefectKinds.NormalLabel"/> or the name of the defect kind with the largest area.</summary>
    public required string Label { get; init; }

    public required string Split { get; init; }

    public required IReadOnlyList<SyntheticDefect> Defects { get; init; }

    public required int Size { get; init; }

    /// <summary>1 (grayscale) or 3 (colour).</summary>
    public required int Channels { get; init; }

    /// <summary>Row-major pixels, interleaved R, G, B for colour images.</summary>
    public required byte[] Pixels { get; init; }

    /// <summary>Union of all defect masks, 0/255.</summary>
    public required GrayImage Mask { get; init; }

    /// <summary>Raw detector response; scaled to 8 bits together with the whole line.</summary>
    public required float[] RawMap { get; init; }

    public bool IsNormal => Defects.Count == 0;

    /// <summary>The image as OpenCV expects it for writing (BGR order for colour).</summary>
    public Mat ToImageMat()
    {
        if (Channels == 1)
        {
            var gray = new Mat(Size, Size, MatType.CV_8UC1);
            System.Runtime.InteropServices.Marshal.Copy(Pixels, 0, gray.Data, Pixels.Length);
            return gray;
        }

        var bgr = new byte[Pixels.Length];
        for (var i = 0; i < Pixels.Length; i += 3)
        {
            bgr[i] = Pixels[i + 2];
            bgr[i + 1] = Pixels[i + 1];
            bgr[i + 2] = Pixels[i];
        }

        var colour = new Mat(Size, Size, MatType.CV_8UC3);
        System.Runtime.InteropServices.Marshal.Copy(bgr, 0, colour.Data, bgr.Length);
        return colour;
    }

    /// <summary>Luminance 0–255 per pixel (ITU-R 601 weights, as OpenCV's grayscale conversion).</summary>
    public float[] Luminance()
    {
        var luminance = new float[Size * Size];
        for (var i = 0; i < luminance.Length; i++)
        {
            luminance[i] = Channels == 1
                ? Pixels[i]
                : (0.299f * Pixels[3 * i]) + (0.587f * Pixels[(3 * i) + 1]) + (0.114f * Pixels[(3 * i) + 2]);
        }

        return luminance;
    }
}
