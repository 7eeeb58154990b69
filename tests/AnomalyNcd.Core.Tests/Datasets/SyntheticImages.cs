using OpenCvSharp;

namespace AnomalyNcd.Core.Tests.Datasets;

/// <summary>Tiny image files for building fake dataset trees in temporary folders.</summary>
internal static class SyntheticImages
{
    /// <summary>Writes a gray image (PNG or JPEG by extension) filled with <paramref name="value"/>, creating folders.</summary>
    public static string Write(string path, int width = 8, int height = 6, byte value = 0, Rect? bright = null, byte brightValue = 255)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var mat = new Mat(height, width, MatType.CV_8UC1, new Scalar(value));
        if (bright is { } rect)
        {
            mat[rect].SetTo(new Scalar(brightValue));
        }

        if (!Cv2.ImWrite(path, mat))
        {
            throw new InvalidOperationException($"could not write {path}");
        }

        return path;
    }

    /// <summary>Writes a text file, creating folders.</summary>
    public static string WriteText(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }
}
