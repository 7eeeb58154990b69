using System.Text.Json;

namespace AnomalyNcd.Core.Tests.Cropping;

/// <summary>One map of the MEBin golden set with the reference's cropping outputs (golden/mebin/README.md).</summary>
public sealed record GoldenCropCase(
    string Category,
    string Name,
    string MapPath,
    string MaskPath,
    byte MinTh,
    byte MaxTh,
    int EstimatedRegions,
    GoldenCropOutput Crop,
    GoldenCropOutput? CropAfterAutoscaleSave)
{
    private static readonly Lazy<IReadOnlyDictionary<string, GoldenCropCase>> All = new(Load);

    public string Id => $"{Category}/{Name}";

    public static IReadOnlyDictionary<string, GoldenCropCase> Cases => All.Value;

    public static IEnumerable<object[]> Ids() => Cases.Keys.Select(id => new object[] { id });

    private static IReadOnlyDictionary<string, GoldenCropCase> Load()
    {
        var folder = TestData.RequireFile("golden", "mebin");
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "golden.json")));
        var cases = new Dictionary<string, GoldenCropCase>(StringComparer.Ordinal);
        foreach (var map in document.RootElement.GetProperty("maps").EnumerateArray())
        {
            var item = new GoldenCropCase(
                map.GetProperty("category").GetString()!,
                map.GetProperty("name").GetString()!,
                Path.Combine(folder, map.GetProperty("map_file").GetString()!),
                Path.Combine(folder, map.GetProperty("mask_file").GetString()!),
                map.GetProperty("min_th").GetByte(),
                map.GetProperty("max_th").GetByte(),
                map.GetProperty("est_anomaly_num").GetInt32(),
                GoldenCropOutput.Parse(map.GetProperty("crop")),
                map.TryGetProperty("crop_after_autoscale_save", out var autoscaled) ? GoldenCropOutput.Parse(autoscaled) : null);
            cases.Add(item.Id, item);
        }

        return cases;
    }
}
