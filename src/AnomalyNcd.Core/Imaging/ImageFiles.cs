using AnomalyNcd.Core.Common;
using OpenCvSharp;

namespace AnomalyNcd.Core.Imaging;

/// <summary>
/// Reading and writing images with clear errors. Every failure names the file and the problem;
/// truncated PNG/JPEG files are refused instead of being decoded partially (OpenCV would pad them).
/// </summary>
public static class ImageFiles
{
    /// <summary>Refuse images above this many pixels (decompression bombs); 100 MP by default.</summary>
    public static long MaxPixels { get; set; } = 100_000_000;

    public static readonly string[] ImageExtensions = [".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff"];

    public static bool IsImageFile(string path) =>
        ImageExtensions.Contains(Path.GetExtension(path), StringComparer.OrdinalIgnoreCase);

    /// <summary>Reads as OpenCV's IMREAD_GRAYSCALE does: colour becomes luma, 16-bit becomes 8-bit.</summary>
    public static GrayImage ReadGray(string path)
    {
        using var mat = Decode(path, ImreadModes.Grayscale);
        return GrayImage.FromMat(mat);
    }

    /// <summary>Reads as an 8-bit 3-channel image in RGB order (grayscale files are replicated).</summary>
    public static Mat ReadRgb(string path)
    {
        using var bgr = Decode(path, ImreadModes.Color);
        var rgb = new Mat();
        Cv2.CvtColor(bgr, rgb, ColorConversionCodes.BGR2RGB);
        return rgb;
    }

    /// <summary>Width and height of an image file (decoded once to validate it).</summary>
    public static (int Width, int Height) ReadSize(string path)
    {
        using var image = Decode(path, ImreadModes.Unchanged);
        return (image.Width, image.Height);
    }

    /// <summary>
    /// Width and height declared in a PNG, JPEG or TIFF header without decoding (null when the header does not say),
    /// so that callers with a lower pixel limit than <see cref="MaxPixels"/> refuse bombs before any decoder allocates.
    /// </summary>
    public static (int Width, int Height)? ReadDeclaredSize(ReadOnlySpan<byte> bytes) =>
        ImageHeaders.TryReadSize(bytes[..Math.Min(bytes.Length, 64 * 1024)]);

    public static (int Width, int Height)? ReadDeclaredSize(string path)
    {
        var header = new byte[64 * 1024];
        int read;
        using (var stream = File.OpenRead(path))
        {
            read = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        }

        return ImageHeaders.TryReadSize(header.AsSpan(0, read));
    }

    /// <summary>Decodes with the given mode after checking that the file exists, is complete and is not too large.</summary>
    public static Mat Decode(string path, ImreadModes mode) => DecodeChecked(ReadCompleteFile(path), path, mode);

    /// <summary>
    /// Decodes a file's bytes held in memory with the same checks (and messages) as <see cref="Decode(string, ImreadModes)"/>;
    /// <paramref name="source"/> names the file in refusals.
    /// </summary>
    public static Mat Decode(byte[] bytes, string source, ImreadModes mode)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        CheckComplete(bytes, source);
        return DecodeChecked(bytes, source, mode);
    }

    private static Mat DecodeChecked(byte[] bytes, string path, ImreadModes mode)
    {
        // plain 8-bit PNGs (what uploads are) decode in managed code to the same pixels; everything else through OpenCV
        var mat = (mode == ImreadModes.Unchanged ? PngFastDecoder.TryDecodeUnchanged(bytes) : null) ?? Cv2.ImDecode(bytes, mode);
        if (mat.Empty())
        {
            mat.Dispose();
            throw new InvalidInputException(path, "cannot decode image (corrupt or unsupported format)");
        }

        if ((long)mat.Width * mat.Height > MaxPixels)
        {
            var size = $"{mat.Width}x{mat.Height}";
            mat.Dispose();
            throw new InvalidInputException(path, $"image of {size} pixels exceeds the limit of {MaxPixels} pixels");
        }

        return mat;
    }

    /// <summary>Writes a PNG atomically (temporary file, then rename), creating the folder.</summary>
    public static void WritePng(string path, Mat image)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(folder);
        if (!Cv2.ImEncode(".png", image, out var encoded))
        {
            throw new InvalidOperationException($"{path}: PNG encoding failed");
        }

        AtomicFile.WriteAllBytes(path, encoded);
    }

    public static void WritePng(string path, GrayImage image)
    {
        using var mat = image.ToMat();
        WritePng(path, mat);
    }

    private static byte[] ReadCompleteFile(string path)
    {
        var bytes = InputFile.ReadAllBytes(path);

        CheckComplete(bytes, path);
        return bytes;
    }

    private static void CheckComplete(byte[] bytes, string path)
    {
        if (bytes.Length == 0)
        {
            throw new InvalidInputException(path, "file is empty (0 bytes)");
        }

        var problem = ImageHeaders.FindTruncation(bytes);
        if (problem is not null)
        {
            throw new InvalidInputException(path, problem);
        }

        var size = ImageHeaders.TryReadSize(bytes);
        if (size is { } s && (long)s.Width * s.Height > MaxPixels)
        {
            throw new InvalidInputException(path, $"declared size {s.Width}x{s.Height} exceeds the limit of {MaxPixels} pixels");
        }
    }
}
