using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using OpenCvSharp;

namespace AnomalyNcd.Core.Imaging;

/// <summary>
/// Decodes the plain PNGs that uploads are (8-bit gray or RGB, not interlaced) in managed code: .NET's zlib inflates
/// about twice as fast as OpenCV's bundled libpng/zlib, and the per-call overhead is gone. The result is what
/// <c>cv::imdecode(IMREAD_UNCHANGED)</c> gives (gray as 8UC1, colour as BGR 8UC3): PNG is lossless, and only files without
/// chunks that could change the pixels (gamma, palette, transparency, colour profiles …) are taken. Anything else,
/// anything damaged (a chunk CRC, the zlib checksum, too little or too much data, an unknown filter) returns null, and
/// the caller decodes with OpenCV as before, which keeps its answers and error messages.
/// </summary>
internal static class PngFastDecoder
{
    private static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Larger images go to OpenCV (the buffers here are rented, and nothing on the upload path is this big).</summary>
    private const long MaxFastBytes = 64L * 1024 * 1024;

    public static Mat? TryDecodeUnchanged(byte[] png)
    {
        if (png.Length < 8 + 25 + 12 || !png.AsSpan(0, 8).SequenceEqual(Signature))
        {
            return null;
        }

        // IHDR first: 13 bytes of width, height, bit depth, colour type, compression, filter, interlace
        var ihdr = png.AsSpan(8);
        if (BinaryPrimitives.ReadUInt32BigEndian(ihdr) != 13 || !ihdr.Slice(4, 4).SequenceEqual("IHDR"u8) || !CrcMatches(ihdr, 13))
        {
            return null;
        }

        var width = BinaryPrimitives.ReadInt32BigEndian(ihdr[8..]);
        var height = BinaryPrimitives.ReadInt32BigEndian(ihdr[12..]);
        var (depth, colour, compression, filter, interlace) = (ihdr[16], ihdr[17], ihdr[18], ihdr[19], ihdr[20]);
        var channels = colour switch { 0 => 1, 2 => 3, _ => 0 };
        if (width <= 0 || height <= 0 || depth != 8 || channels == 0 || compression != 0 || filter != 0 || interlace != 0)
        {
            return null;
        }

        var rowBytes = (long)width * channels;
        var filtered = (rowBytes + 1) * height;
        if (filtered > MaxFastBytes)
        {
            return null;
        }

        var idatLength = 0L;
        if (!ScanChunks(png, ref idatLength))
        {
            return null;
        }

        var compressed = ArrayPool<byte>.Shared.Rent((int)idatLength);
        var raw = ArrayPool<byte>.Shared.Rent((int)filtered + 1);
        try
        {
            CopyIdat(png, compressed);
            if (!Inflate(compressed, (int)idatLength, raw, (int)filtered))
            {
                return null;
            }

            return Unfilter(raw, width, height, channels);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(compressed);
            ArrayPool<byte>.Shared.Return(raw);
        }
    }

    /// <summary>Walks the chunks after IHDR: contiguous IDATs, IEND last at the very end, only harmless ancillary chunks, every CRC right.</summary>
    private static bool ScanChunks(byte[] png, ref long idatLength)
    {
        var position = 8 + 25;
        var idatSeen = false;
        var idatEnded = false;
        while (position + 12 <= png.Length)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(position));
            if (length > (uint)(png.Length - position - 12))
            {
                return false;
            }

            var chunk = png.AsSpan(position);
            var type = chunk.Slice(4, 4);
            if (!CrcMatches(chunk, (int)length))
            {
                return false;
            }

            if (type.SequenceEqual("IDAT"u8))
            {
                if (idatEnded)
                {
                    return false;
                }

                idatSeen = true;
                idatLength += length;
            }
            else if (type.SequenceEqual("IEND"u8))
            {
                return idatSeen && length == 0 && position + 12 == png.Length;
            }
            else if (type.SequenceEqual("tEXt"u8) || type.SequenceEqual("zTXt"u8) || type.SequenceEqual("iTXt"u8)
                || type.SequenceEqual("pHYs"u8) || type.SequenceEqual("tIME"u8))
            {
                // text, resolution and time: no decoder reads them into pixels
                idatEnded = idatSeen;
            }
            else
            {
                return false;
            }

            position += 12 + (int)length;
        }

        return false;
    }

    private static void CopyIdat(byte[] png, byte[] destination)
    {
        var position = 8 + 25;
        var written = 0;
        while (true)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(position));
            var type = png.AsSpan(position + 4, 4);
            if (type.SequenceEqual("IEND"u8))
            {
                return;
            }

            if (type.SequenceEqual("IDAT"u8))
            {
                png.AsSpan(position + 8, length).CopyTo(destination.AsSpan(written));
                written += length;
            }

            position += 12 + length;
        }
    }

    /// <summary>True when the zlib stream is valid (checksum included) and holds exactly <paramref name="expected"/> bytes.</summary>
    private static bool Inflate(byte[] compressed, int compressedLength, byte[] raw, int expected)
    {
        try
        {
            using var source = new MemoryStream(compressed, 0, compressedLength, writable: false);
            using var zlib = new ZLibStream(source, CompressionMode.Decompress);

            // asking for one byte more makes the inflater reach the end of the stream, where it checks the Adler-32
            var read = zlib.ReadAtLeast(raw.AsSpan(0, expected + 1), expected + 1, throwOnEndOfStream: false);
            return read == expected;
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }

    private static unsafe Mat? Unfilter(byte[] raw, int width, int height, int channels)
    {
        var rowBytes = width * channels;
        var stride = rowBytes + 1;
        var previous = ArrayPool<byte>.Shared.Rent(rowBytes);
        try
        {
            Array.Clear(previous, 0, rowBytes);
            var mat = new Mat(height, width, channels == 1 ? MatType.CV_8UC1 : MatType.CV_8UC3);
            var pixels = new Span<byte>((void*)mat.Data, rowBytes * height);
            for (var y = 0; y < height; y++)
            {
                var row = raw.AsSpan((y * stride) + 1, rowBytes);
                var up = y == 0 ? previous.AsSpan(0, rowBytes) : raw.AsSpan(((y - 1) * stride) + 1, rowBytes);
                if (!UnfilterRow(raw[y * stride], row, up, channels))
                {
                    mat.Dispose();
                    return null;
                }

                var target = pixels.Slice(y * rowBytes, rowBytes);
                if (channels == 1)
                {
                    row.CopyTo(target);
                }
                else
                {
                    // PNG stores RGB; OpenCV hands out BGR
                    for (var i = 0; i < rowBytes; i += 3)
                    {
                        target[i] = row[i + 2];
                        target[i + 1] = row[i + 1];
                        target[i + 2] = row[i];
                    }
                }
            }

            return mat;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(previous);
        }
    }

    /// <summary>
    /// Undoes one row's filter in place (PNG spec §9); false for an unknown filter type. The first pixel (no left
    /// neighbour) is handled apart, so the loops carry no bounds tests; Up is vectorised and Paeth picks branch-free
    /// (noisy surfaces make its choice unpredictable, and mispredicted branches were most of the decode).
    /// </summary>
    private static bool UnfilterRow(byte type, Span<byte> row, ReadOnlySpan<byte> up, int bpp)
    {
        ref var r = ref MemoryMarshal.GetReference(row);
        ref var u = ref MemoryMarshal.GetReference(up);
        var n = row.Length;
        switch (type)
        {
            case 0:
                return true;
            case 1:
                for (var i = bpp; i < n; i++)
                {
                    Unsafe.Add(ref r, i) += Unsafe.Add(ref r, i - bpp);
                }

                return true;
            case 2:
            {
                var i = 0;
                for (; i <= n - Vector<byte>.Count; i += Vector<byte>.Count)
                {
                    (Vector.LoadUnsafe(ref r, (nuint)i) + Vector.LoadUnsafe(ref u, (nuint)i)).StoreUnsafe(ref r, (nuint)i);
                }

                for (; i < n; i++)
                {
                    Unsafe.Add(ref r, i) += Unsafe.Add(ref u, i);
                }

                return true;
            }

            case 3:
                for (var i = 0; i < bpp && i < n; i++)
                {
                    Unsafe.Add(ref r, i) += (byte)(Unsafe.Add(ref u, i) >> 1);
                }

                for (var i = bpp; i < n; i++)
                {
                    Unsafe.Add(ref r, i) += (byte)((Unsafe.Add(ref r, i - bpp) + Unsafe.Add(ref u, i)) >> 1);
                }

                return true;
            case 4:
                // Without a left neighbour (a = c = 0) the Paeth predictor is the byte above.
                for (var i = 0; i < bpp && i < n; i++)
                {
                    Unsafe.Add(ref r, i) += Unsafe.Add(ref u, i);
                }

                for (var i = bpp; i < n; i++)
                {
                    int a = Unsafe.Add(ref r, i - bpp), b = Unsafe.Add(ref u, i), c = Unsafe.Add(ref u, i - bpp);

                    // p = a + b - c; |p - a| = |b - c|, |p - b| = |a - c|, |p - c| = |a + b - 2c|
                    int pa = Math.Abs(b - c), pb = Math.Abs(a - c), pc = Math.Abs(a + b - c - c);
                    var takeA = ~((pb - pa) | (pc - pa)) >> 31; // all ones when pa <= pb and pa <= pc
                    var takeB = ~(pc - pb) >> 31;               // all ones when pb <= pc
                    var predictor = (a & takeA) | (((b & takeB) | (c & ~takeB)) & ~takeA);
                    Unsafe.Add(ref r, i) += (byte)predictor;
                }

                return true;
            default:
                return false;
        }
    }

    /// <summary>CRC-32 of a chunk's type and data against the CRC stored after them (vectorised System.IO.Hashing).</summary>
    private static bool CrcMatches(ReadOnlySpan<byte> chunk, int length) =>
        Crc32.HashToUInt32(chunk.Slice(4, 4 + length)) == BinaryPrimitives.ReadUInt32BigEndian(chunk[(8 + length)..]);
}
