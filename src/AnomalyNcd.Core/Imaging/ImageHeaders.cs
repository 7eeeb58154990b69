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

    /// <summary>Declared width and height of a PNG (IHDR), JPEG (first SOF marker) or TIFF (first IFD); null when not found.</summary>
    public static (int Width, int Height)? TryReadSize(ReadOnlySpan<byte> bytes)
    {
        if (IsPng(bytes) && bytes.Length >= 24)
        {
            var width = BinaryPrimitives.ReadUInt32BigEndian(bytes[16..20]);
            var height = BinaryPrimitives.ReadUInt32BigEndian(bytes[20..24]);
            return ((int)Math.Min(width, int.MaxValue), (int)Math.Min(height, int.MaxValue));
        }

        if (IsJpeg(bytes))
        {
            return TryReadJpegSize(bytes);
        }

        return TryReadTiffSize(bytes);
    }

    // Decoders allocate the declared size before reading the body, so bombs must be caught from the header.
    private static (int Width, int Height)? TryReadJpegSize(ReadOnlySpan<byte> bytes)
    {
        var at = 2;
        while (at + 9 <= bytes.Length && bytes[at] == 0xFF)
        {
            var marker = bytes[at + 1];
            if (marker is >= 0xC0 and <= 0xCF && marker is not (0xC4 or 0xC8 or 0xCC))
            {
                return (BinaryPrimitives.ReadUInt16BigEndian(bytes[(at + 7)..]), BinaryPrimitives.ReadUInt16BigEndian(bytes[(at + 5)..]));
            }

            if (marker is 0xD8 or 0x01 or (>= 0xD0 and <= 0xD7))
            {
                at += 2;
                continue;
            }

            at += 2 + BinaryPrimitives.ReadUInt16BigEndian(bytes[(at + 2)..]);
        }

        return null;
    }

    private static (int Width, int Height)? TryReadTiffSize(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 8)
        {
            return null;
        }

        bool little;
        if (bytes[0] == 'I' && bytes[1] == 'I' && bytes[2] == 42 && bytes[3] == 0)
        {
            little = true;
        }
        else if (bytes[0] == 'M' && bytes[1] == 'M' && bytes[2] == 0 && bytes[3] == 42)
        {
            little = false;
        }
        else
        {
            return null;
        }

        uint U32(ReadOnlySpan<byte> s) => little ? BinaryPrimitives.ReadUInt32LittleEndian(s) : BinaryPrimitives.ReadUInt32BigEndian(s);
        ushort U16(ReadOnlySpan<byte> s) => little ? BinaryPrimitives.ReadUInt16LittleEndian(s) : BinaryPrimitives.ReadUInt16BigEndian(s);
        var ifd = U32(bytes[4..8]);
        if (ifd > (uint)bytes.Length - 2)
        {
            return null;
        }

        var count = U16(bytes[(int)ifd..]);
        long width = -1;
        long height = -1;
        for (var i = 0; i < count; i++)
        {
            var entry = (int)ifd + 2 + (i * 12);
            if (entry + 12 > bytes.Length)
            {
                break;
            }

            var tag = U16(bytes[entry..]);
            var type = U16(bytes[(entry + 2)..]);
            long value = type == 3 ? U16(bytes[(entry + 8)..]) : U32(bytes[(entry + 8)..]);
            if (tag == 256)
            {
                width = value;
            }
            else if (tag == 257)
            {
                height = value;
            }
        }

        return width >= 0 && height >= 0 ? ((int)Math.Min(width, int.MaxValue), (int)Math.Min(height, int.MaxValue)) : null;
    }
}
