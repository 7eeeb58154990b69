using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using AnomalyNcd.Core.Common;

namespace AnomalyNcd.Core.Maps;

/// <summary>
/// A minimal reader and writer of NumPy's <c>.npy</c> format for 2-D maps: magic <c>\x93NUMPY</c>,
/// version 1.0 (16-bit header length) or 2.0/3.0 (32-bit), then a Python dict literal with
/// <c>descr</c>, <c>fortran_order</c> and <c>shape</c>, then the raw array. Only little-endian
/// <c>f4</c>, <c>f8</c>, <c>u1</c> and <c>u2</c> in C order are accepted.
/// </summary>
public static partial class NpyFile
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    public static FloatMap Read(string path, byte[] bytes)
    {
        if (bytes.Length < 10 || !bytes.AsSpan(0, 6).SequenceEqual(Magic))
        {
            throw new InvalidInputException(path, "not a NumPy .npy file (the \\x93NUMPY magic is missing)");
        }

        int major = bytes[6];
        int headerLength;
        int headerStart;
        switch (major)
        {
            case 1:
                headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8, 2));
                headerStart = 10;
                break;
            case 2:
            case 3:
                if (bytes.Length < 12)
                {
                    throw new InvalidInputException(path, "truncated .npy header");
                }

                headerLength = checked((int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8, 4)));
                headerStart = 12;
                break;
            default:
                throw new InvalidInputException(path, $"unsupported .npy version {major}.{bytes[7]} (expected 1.0, 2.0 or 3.0)");
        }

        if (headerStart + headerLength > bytes.Length)
        {
            throw new InvalidInputException(path, "truncated .npy header");
        }

        var header = Encoding.UTF8.GetString(bytes, headerStart, headerLength);
        var descr = DescrPattern().Match(header);
        var fortran = FortranPattern().Match(header);
        var shape = ShapePattern().Match(header);
        if (!descr.Success || !fortran.Success || !shape.Success)
        {
            throw new InvalidInputException(path, $"cannot parse the .npy header '{header.Trim()}'");
        }

        if (fortran.Groups[1].Value == "True")
        {
            throw new InvalidInputException(path, ".npy array is in Fortran order; save it in C order (np.ascontiguousarray)");
        }

        var dims = shape.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (dims.Length != 2)
        {
            throw new InvalidInputException(path, $".npy array has shape ({shape.Groups[1].Value.Trim()}); expected a 2-D map (height, width)");
        }

        if (!int.TryParse(dims[0], NumberStyles.None, CultureInfo.InvariantCulture, out var height)
            || !int.TryParse(dims[1], NumberStyles.None, CultureInfo.InvariantCulture, out var width)
            || (long)width * height > Imaging.ImageFiles.MaxPixels)
        {
            throw new InvalidInputException(path, $".npy shape ({shape.Groups[1].Value.Trim()}) is not a map size this product accepts");
        }

        if (width == 0 || height == 0)
        {
            throw new InvalidInputException(path, $".npy map is empty ({height}x{width})");
        }

        var type = descr.Groups[1].Value;
        var itemSize = type switch
        {
            "<f4" => 4,
            "<f8" => 8,
            "|u1" or "<u1" => 1,
            "<u2" => 2,
            _ => throw new InvalidInputException(path, $".npy dtype '{type}' is not supported (expected <f4, <f8, u1 or <u2)"),
        };

        var dataStart = headerStart + headerLength;
        var count = checked(width * height);
        var needed = (long)count * itemSize;
        if (bytes.Length - dataStart < needed)
        {
            throw new InvalidInputException(path, $"truncated .npy data: {bytes.Length - dataStart} bytes for a {height}x{width} {type} array that needs {needed}");
        }

        var data = bytes.AsSpan(dataStart);
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = itemSize switch
            {
                4 => BinaryPrimitives.ReadSingleLittleEndian(data.Slice(i * 4, 4)),
                8 => (float)BinaryPrimitives.ReadDoubleLittleEndian(data.Slice(i * 8, 8)),
                2 => BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(i * 2, 2)),
                _ => data[i],
            };
        }

        return new FloatMap(width, height, values);
    }

    /// <summary>Version 1.0, <c>&lt;f4</c>, C order; the header is padded so the data starts on a 64-byte boundary.</summary>
    public static byte[] Encode(FloatMap map)
    {
        var dict = string.Create(CultureInfo.InvariantCulture, $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({map.Height}, {map.Width}), }}");
        var unpadded = 10 + dict.Length + 1;
        var padding = (64 - (unpadded % 64)) % 64;
        var header = dict + new string(' ', padding) + "\n";
        var bytes = new byte[10 + header.Length + (map.Values.Length * 4)];
        Magic.CopyTo(bytes, 0);
        bytes[6] = 1;
        bytes[7] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8, 2), (ushort)header.Length);
        Encoding.ASCII.GetBytes(header, bytes.AsSpan(10));
        var data = bytes.AsSpan(10 + header.Length);
        for (var i = 0; i < map.Values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(data.Slice(i * 4, 4), map.Values[i]);
        }

        return bytes;
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex FortranPattern();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
