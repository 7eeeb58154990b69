using AnomalyNcd.Core.Imaging;
using OpenCvSharp;

namespace AnomalyNcd.Core.Datasets.Importers;

/// <summary>Width and height of an image from its header (PNG, baseline/progressive JPEG), decoding only other formats.</summary>
internal static class ImageSizeReader
{
    private const int HeaderBytes = 1 << 16;

    public static (int Width, int Height) Read(string path)
    {
        byte[] head;
        try
        {
            using var stream = File.OpenRead(path);
            head = new byte[(int)Math.Min(HeaderBytes, stream.Length)];
            stream.ReadExactly(head);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new Common.InvalidInputException(path, $"cannot read file ({ex.Message})", ex);
        }

        var size = ImageHeaders.TryReadSize(head) ?? TryReadJpegSize(head);
        if (size is { Width: > 0, Height: > 0 } known)
        {
            return known;
        }

        using var mat = ImageFiles.Decode(path, ImreadModes.Grayscale);
        return (mat.Width, mat.Height);
    }

    /// <summary>Walks the JPEG marker segments up to the first start-of-frame, which holds the size.</summary>
    internal static (int Width, int Height)? TryReadJpegSize(ReadOnlySpan<byte> bytes)
    {
        if (!ImageHeaders.IsJpeg(bytes))
        {
            return null;
        }

        var at = 2;
        while (at + 9 < bytes.Length)
        {
            if (bytes[at] != 0xFF)
            {
                return null;
            }

            var marker = bytes[at + 1];
            if (marker == 0xFF)
            {
                at++; // fill byte
                continue;
            }

            var length = (bytes[at + 2] << 8) | bytes[at + 3];
            var isStartOfFrame = marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC;
            if (isStartOfFrame)
            {
                var height = (bytes[at + 5] << 8) | bytes[at + 6];
                var width = (bytes[at + 7] << 8) | bytes[at + 8];
                return (width, height);
            }

            if (length < 2)
            {
                return null;
            }

            at += 2 + length;
        }

        return null;
    }
}
