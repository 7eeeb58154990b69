using System.Text.Json;
using System.Text.Json.Serialization;
using AnomalyNcd.Core.Common;

namespace AnomalyNcd.Core.Extraction;

/// <summary>
/// The <c>binarization.json</c> document: the set's search range and, per map, its size, threshold,
/// region count, the 64 component counts and the crop boxes kept ([left, up, right, bottom]).
/// </summary>
public sealed record BinarizationReport(
    [property: JsonPropertyName("minTh")] int MinTh,
    [property: JsonPropertyName("maxTh")] int MaxTh,
    [property: JsonPropertyName("maps")] IReadOnlyList<BinarizationReport.MapRecord> Maps)
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    public static BinarizationReport From(ExtractedMapSet set) => new(
        set.Range.MinTh,
        set.Range.MaxTh,
        set.Maps.Select(m => new MapRecord(
            m.Entry.Name,
            m.MapWidth,
            m.MapHeight,
            m.Mebin.Threshold,
            m.Mebin.EstimatedRegionCount,
            [.. m.Mebin.Counts],
            [.. m.Plan.Boxes.Select(b => new[] { b.Left, b.Up, b.Right, b.Bottom })])).ToList());

    public void Save(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, JsonOptions));

    public static BinarizationReport Load(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<BinarizationReport>(File.ReadAllText(path))
                ?? throw new InvalidInputException(path, "empty binarization report");
        }
        catch (JsonException ex)
        {
            throw new InvalidInputException(path, $"not a binarization report ({ex.Message})", ex);
        }
    }

    public sealed record MapRecord(
        [property: JsonPropertyName("name")] string Name,
        [property: JsonPropertyName("width")] int Width,
        [property: JsonPropertyName("height")] int Height,
        [property: JsonPropertyName("threshold")] int Threshold,
        [property: JsonPropertyName("regionCount")] int RegionCount,
        [property: JsonPropertyName("counts")] IReadOnlyList<int> Counts,
        [property: JsonPropertyName("boxes")] IReadOnlyList<double[]> Boxes);
}
