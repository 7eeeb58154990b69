using AnomalyNcd.Core.Imaging;
using AnomalyNcd.Core.Maps;
using OpenCvSharp;

namespace AnomalyNcd.Grains.Processing;

/// <summary>
/// A line detector's maps as stored: Core's <see cref="NormalReferencedScale"/> already turned the raw scores into
/// MEBin's 8-bit scale (0 = the normal level), and the map artefact is that 8-bit image as PNG, so it is binarised as it
/// is (<see cref="Calibration"/>), exactly as <c>discover --detector</c> binarises the same map.
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

    /// <summary>
    /// The calibration a stored detector map is read with: the identity on the 8-bit scale (0–255 maps to itself) and
    /// MEBin over <see cref="NormalReferencedScale.MebinRange"/>, so it goes through the same path as an uploaded map.
    /// </summary>
    public static MapCalibration Calibration(string lineId) => new(lineId, 0f, 255f, DateTimeOffset.UnixEpoch) { MebinFloor = NormalReferencedScale.MebinRange.MinTh };
}
