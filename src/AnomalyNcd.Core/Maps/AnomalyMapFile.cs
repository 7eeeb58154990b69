using System.Runtime.InteropServices;
using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Imaging;
using OpenCvSharp;

namespace AnomalyNcd.Core.Maps;

/// <summary>
/// Reads and writes raw anomaly maps of any detector: 8-bit PNG (0..255), 16-bit PNG (0..65535),
/// 32-bit float TIFF and NumPy <c>.npy</c>. Values are kept as they are (no normalisation here);
/// maps with NaN or infinite values and multi-channel images are refused, naming the file.
/// </summary>
public static class AnomalyMapFile
{
    public static readonly string[] Extensions = [".png", ".tif", ".tiff", ".npy"];

    public static bool IsMapFile(string path) =>
        Extensions.Contains(Path.GetExtension(path), StringComparer.OrdinalIgnoreCase);

    public static FloatMap Read(string path) =>
        IsNpy(path) ? CheckFinite(NpyFile.Read(path, InputFile.ReadAllBytes(path)), path) : FromImage(ImageFiles.Decode(path, ImreadModes.Unchanged), path);

    /// <summary>
    /// Reads a map file's bytes held in memory (an upload) with the same checks and messages as <see cref="Read(string)"/>;
    /// <paramref name="source"/> names the file (its extension picks the format).
    /// </summary>
    public static FloatMap Read(byte[] bytes, string source) =>
        IsNpy(source) ? CheckFinite(NpyFile.Read(source, bytes), source) : FromImage(ImageFiles.Decode(bytes, source, ImreadModes.Unchanged), source);

    private static bool IsNpy(string name) => Path.GetExtension(name).Equals(".npy", StringComparison.OrdinalIgnoreCase);

    private static FloatMap CheckFinite(FloatMap map, string path)
    {
        var nan = 0;
        var infinite = 0;
        foreach (var v in map.Values)
        {
            if (float.IsNaN(v))
            {
                nan++;
            }
            else if (float.IsInfinity(v))
            {
                infinite++;
            }
        }

        if (nan + infinite > 0)
        {
            throw new InvalidInputException(path, $"anomaly map has {nan} NaN and {infinite} infinite value(s) out of {map.Values.Length}; a map must be finite everywhere");
        }

        return map;
    }

    /// <summary>Writes atomically in <paramref name="format"/>; PNG formats round and clamp to their integer range.</summary>
    public static void Write(string path, FloatMap map, AnomalyMapFormat format)
    {
        if (format == AnomalyMapFormat.Npy)
        {
            AtomicFile.WriteAllBytes(path, NpyFile.Encode(map));
            return;
        }

        using var mat = format switch
        {
            AnomalyMapFormat.Png8 => ToIntegerMat(map, MatType.CV_8UC1, 255),
            AnomalyMapFormat.Png16 => ToIntegerMat(map, MatType.CV_16UC1, 65535),
            _ => ToFloatMat(map),
        };
        var extension = format == AnomalyMapFormat.FloatTiff ? ".tiff" : ".png";
        if (!Cv2.ImEncode(extension, mat, out var encoded))
        {
            throw new InvalidOperationException($"{path}: {format} encoding failed");
        }

        AtomicFile.WriteAllBytes(path, encoded);
    }

    /// <summary>
    /// Converts a decoded map image (taking ownership) to float values. Integer maps cannot hold NaN or infinities,
    /// so only float maps are checked; an 8-bit map keeps its bytes (see <see cref="FloatMap.FromBytes"/>).
    /// </summary>
    private static FloatMap FromImage(Mat decoded, string path)
    {
        using var mat = decoded;
        if (mat.Channels() != 1)
        {
            throw new InvalidInputException(path, $"expected a single-channel map, got {mat.Channels()} channels");
        }

        using var continuous = mat.IsContinuous() ? null : mat.Clone();
        var source = continuous ?? mat;
        var count = mat.Width * mat.Height;
        var depth = mat.Depth();
        if (depth == MatType.CV_8U)
        {
            var raw = new byte[count];
            Marshal.Copy(source.Data, raw, 0, count);
            return FloatMap.FromBytes(mat.Width, mat.Height, raw);
        }

        var values = new float[count];
        if (depth == MatType.CV_16U)
        {
            var raw = new short[count];
            Marshal.Copy(source.Data, raw, 0, count);
            for (var i = 0; i < count; i++)
            {
                values[i] = (ushort)raw[i];
            }

            return new FloatMap(mat.Width, mat.Height, values);
        }

        if (depth == MatType.CV_32F)
        {
            Marshal.Copy(source.Data, values, 0, count);
        }
        else if (depth == MatType.CV_64F)
        {
            var raw = new double[count];
            Marshal.Copy(source.Data, raw, 0, count);
            for (var i = 0; i < count; i++)
            {
                values[i] = (float)raw[i];
            }
        }
        else
        {
            throw new InvalidInputException(path, $"unsupported map pixel type {mat.Type()} (expected 8-bit, 16-bit or float)");
        }

        return CheckFinite(new FloatMap(mat.Width, mat.Height, values), path);
    }

    private static Mat ToIntegerMat(FloatMap map, MatType type, int max)
    {
        var mat = new Mat(map.Height, map.Width, type);
        var count = map.Values.Length;
        if (max == 255)
        {
            var raw = new byte[count];
            for (var i = 0; i < count; i++)
            {
                raw[i] = (byte)Math.Clamp(Math.Round(map.Values[i]), 0, max);
            }

            Marshal.Copy(raw, 0, mat.Data, count);
        }
        else
        {
            var raw = new short[count];
            for (var i = 0; i < count; i++)
            {
                raw[i] = unchecked((short)(ushort)Math.Clamp(Math.Round(map.Values[i]), 0, max));
            }

            Marshal.Copy(raw, 0, mat.Data, count);
        }

        return mat;
    }

    private static Mat ToFloatMat(FloatMap map)
    {
        var mat = new Mat(map.Height, map.Width, MatType.CV_32FC1);
        Marshal.Copy(map.Values, 0, mat.Data, map.Values.Length);
        return mat;
    }
}
