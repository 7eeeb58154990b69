using System.Text.Json;
using System.Text.Json.Serialization;
using AnomalyNcd.Core.Binarization;
using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Imaging;

namespace AnomalyNcd.Core.Maps;

/// <summary>
/// The value range of one product line's raw maps, learnt once from a calibration set and kept as
/// JSON, so that a single new map (a streamed image) is normalised exactly as it would have been
/// inside the calibration batch (<see cref="MapNormalization.ToByte"/>, clamped to 0..255 outside the range).
/// </summary>
public sealed record MapCalibration(string Line, float Min, float Max, DateTimeOffset Created, int FormatVersion = MapCalibration.CurrentFormatVersion)
{
    public const int CurrentFormatVersion = 1;

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>Learns the joint range of a line's calibration maps (read one at a time; none is kept).</summary>
    public static MapCalibration Learn(string line, IEnumerable<FloatMap> calibrationMaps)
    {
        var count = 0;
        var peaks = new List<float>();
        var (min, max) = MapNormalization.JointRange(calibrationMaps.Select(m =>
        {
            count++;
            peaks.Add(m.Range().Max);
            return m;
        }));
        if (count == 0)
        {
            throw new InvalidInputException(null, $"line '{line}': no calibration maps");
        }

        if (max <= min)
        {
            throw new InvalidInputException(null, $"line '{line}': all {count} calibration map(s) hold the single value {min}; min–max normalisation needs a range");
        }

        // MEBin's search range in a batch runs from the set's smallest per-map peak to its largest (255 after
        // normalisation); keeping the floor lets one streamed map search the range it would have in the batch.
        var floor = peaks.Min(peak => MapNormalization.ToByte(peak, min, max));
        return new MapCalibration(line, min, max, DateTimeOffset.UtcNow) { MebinFloor = floor };
    }

    /// <summary>
    /// The calibration set's smallest per-map peak on the normalised 0–255 scale (0 in files written before it existed).
    /// </summary>
    public byte MebinFloor { get; init; }

    /// <summary>The MEBin search range a map of this line gets inside its calibration batch.</summary>
    public MebinRange MebinRange => new(MebinFloor, 255);

    public GrayImage Apply(FloatMap map) => MapNormalization.ToByte(map, Min, Max);

    public void Save(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, Json));

    public static MapCalibration Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new InvalidInputException(path, "calibration file does not exist");
        }

        MapCalibration? calibration;
        try
        {
            calibration = JsonSerializer.Deserialize<MapCalibration>(File.ReadAllText(path), Json);
        }
        catch (JsonException ex)
        {
            throw new InvalidInputException(path, $"not a map calibration file ({ex.Message})", ex);
        }

        if (calibration is null || calibration.Line is null)
        {
            throw new InvalidInputException(path, "not a map calibration file (no line name)");
        }

        if (calibration.FormatVersion != CurrentFormatVersion)
        {
            throw new InvalidInputException(path, $"calibration format version {calibration.FormatVersion} is not supported (expected {CurrentFormatVersion})");
        }

        if (!float.IsFinite(calibration.Min) || !float.IsFinite(calibration.Max) || calibration.Max <= calibration.Min)
        {
            throw new InvalidInputException(path, $"calibration range [{calibration.Min}, {calibration.Max}] is not a finite, non-empty range");
        }

        return calibration;
    }
}
