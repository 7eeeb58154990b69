using AnomalyNcd.Core.Imaging;
using AnomalyNcd.Core.Maps;
using OpenCvSharp;

namespace AnomalyNcd.Grains.Processing;

/// <summary>
/// A line detector's maps as stored: Core's <see cref="NormalReferencedScale"/> already turned the raw scores into
/// MEBin's 8-bit scale (0 = the normal level), and the map artefact is that 8-bit image as PNG, so it is binarised as it
/// is, exactly as <c>discover --detector</c> binarises the same map.
/// </summary>
public static class NormalReferencedMaps
{
    public const string Kind = "map";
    public const string Extension = "png";

    /// <summary>The PNG bytes of a scaled map.</summary>
    public static byte[] Encode(GrayImage scaled)
    {
        using var mat = scaled.ToMat();
        using var input = InputArray.Create(mat);
        return Cv2.ImEncode(".png", input, out var encoded) ? encoded : throw new InvalidOperationException("PNG encoding failed");
    }

    /// <summary>A stored map read back: its 8-bit values as they are (any other value is rounded and clamped to 0–255).</summary>
    public static GrayImage ToGray(FloatMap map)
    {
        var values = map.Values;
        var pixels = new byte[values.Length];
        for (var i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (byte)Math.Clamp(MathF.Round(values[i]), 0f, 255f);
        }

        return new GrayImage(map.Width, map.Height, pixels);
    }
}
