using System.Buffers.Binary;

namespace AnomalyNcd.Core.Imaging;

/// <summary>Cheap checks on encoded image bytes before decoding: truncation and declared size.</summary>
internal static class ImageHeaders
{
    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static bool IsPng(ReadOnlySpan<byte> bytes) => bytes.Length >= 8 && bytes[..8].SequenceEqual(PngSignature);

    public static bool IsJpeg(ReadOnlySpan<byte> bytes) => bytes.Length >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF;

    /// <summary>Returns a description of the problem when a PNG or JPEG is visibly cut short, else null.</summary>
    public static string? FindTruncation(ReadOnlySpan<byte> bytes)
    {
        if (IsPng(bytes))
        {
            // A complete PNG ends with the 12-byte IEND chunk (length 0, type IEND, CRC).
            return bytes.Length >= 20 && bytes[^8..^4].SequenceEqual("IEND"u8) ? null : "truncated PNG (no IEND chunk at the end)";
        }

        if (IsJpeg(bytes))
        {
            // Allow trailing padding after the end-of-image marker, as some cameras write.
            var tail = bytes[^Math.Min(bytes.Length, 64)..];
            for (var i = tail.Length - 2; i >= 0; i--)
            {
                if (tail[i] == 0xFF && tail[i + 1] == 0xD9)
                {
                    return null;
                }
            }

            return "truncated JPEG (no end-of-image marker)";
        }

        return null;
    }

    /// <summary>Declared width and height of a PNG (IHDR); null for other formats.</summary>
    public static (int Width, int Height)? TryReadSize(ReadOnlySpan<byte> bytes)
    {
        if (IsPng(bytes) && bytes.Length >= 24)
        {
            var width = BinaryPrimitives.ReadUInt32BigEndian(bytes[16..20]);
            var height = BinaryPrimitives.ReadUInt32BigEndian(bytes[20..24]);
            return ((int)Math.Min(width, int.MaxValue), (int)Math.Min(height, int.MaxValue));
        }

        return null;
    }
}
