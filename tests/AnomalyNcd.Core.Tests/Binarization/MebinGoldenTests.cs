using System.Text.Json;
using AnomalyNcd.Core.Binarization;
using AnomalyNcd.Core.Imaging;

namespace AnomalyNcd.Core.Tests.Binarization;

/// <summary>Every map of the golden MEBin set (reference outputs of the authors' code) through both implementations.</summary>
public class MebinGoldenTests
{
    private static string GoldenFolder => TestData.RequireFile("golden", "mebin");

    private static JsonDocument LoadGolden() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(GoldenFolder, "golden.json")));

    [Fact]
    public void FromMaps_GoldenCategories_GiveRecordedSearchRange()
    {
        using var golden = LoadGolden();
        var categories = golden.RootElement.GetProperty("categories").EnumerateArray().ToList();
        Assert.Equal(3, categories.Count);
        foreach (var category in categories)
        {
            var name = category.GetProperty("name").GetString()!;
            var maps = category.GetProperty("maps").EnumerateArray()
                .Select(m => ImageFiles.ReadGray(Path.Combine(GoldenFolder, "maps", name, m.GetString() + ".png")))
                .ToList();
            var range = MebinRange.FromMaps(maps, setName: name);
            Assert.Equal(category.GetProperty("min_th").GetInt32(), range.MinTh);
            Assert.Equal(category.GetProperty("max_th").GetInt32(), range.MaxTh);
        }
    }

    [Theory]
    [InlineData(MebinImplementation.Fast)]
    [InlineData(MebinImplementation.Reference)]
    public void Binarize_GoldenMaps_MatchReferenceOutputs(MebinImplementation implementation)
    {
        using var golden = LoadGolden();
        var records = golden.RootElement.GetProperty("maps").EnumerateArray().ToList();
        Assert.Equal(60, records.Count);
        var options = MebinSetOptions.Default with { Implementation = implementation };

        var failures = new List<string>();
        foreach (var record in records)
        {
            var name = $"{record.GetProperty("category").GetString()}/{record.GetProperty("name").GetString()}";
            var map = ImageFiles.ReadGray(Path.Combine(GoldenFolder, record.GetProperty("map_file").GetString()!));
            var expectedMask = ImageFiles.ReadGray(Path.Combine(GoldenFolder, record.GetProperty("mask_file").GetString()!));
            var range = new MebinRange((byte)record.GetProperty("min_th").GetInt32(), (byte)record.GetProperty("max_th").GetInt32());

            var result = MebinSet.BinarizeOne(map, range, options);

            var counts = record.GetProperty("counts").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            if (!counts.SequenceEqual(result.Counts))
            {
                failures.Add($"{name}: counts [{string.Join(",", result.Counts)}], want [{string.Join(",", counts)}]");
            }

            Check(failures, name, "threshold", record.GetProperty("threshold").GetInt32(), result.Threshold);
            Check(failures, name, "threshold_norm", NullableInt(record.GetProperty("threshold_norm")), result.NormalizedThreshold);
            Check(failures, name, "threshold_index", NullableInt(record.GetProperty("threshold_index")), result.ThresholdIndex);
            Check(failures, name, "est_anomaly_num", record.GetProperty("est_anomaly_num").GetInt32(), result.EstimatedRegionCount);
            Check(failures, name, "mask_foreground_pixels", record.GetProperty("mask_foreground_pixels").GetInt32(), result.Mask.CountNonZero());
            if ((result.Mask.Width, result.Mask.Height) != (expectedMask.Width, expectedMask.Height))
            {
                failures.Add($"{name}: mask size {result.Mask.Width}x{result.Mask.Height}, want {expectedMask.Width}x{expectedMask.Height}");
            }
            else
            {
                var differing = result.Mask.Pixels.Zip(expectedMask.Pixels).Count(pair => pair.First != pair.Second);
                if (differing != 0)
                {
                    failures.Add($"{name}: {differing} mask pixels differ from the golden mask");
                }
            }
        }

        Assert.Empty(failures);
    }

    private static int? NullableInt(JsonElement element) =>
        element.ValueKind == JsonValueKind.Null ? null : element.GetInt32();

    private static void Check(List<string> failures, string map, string field, int? expected, int? actual)
    {
        if (expected != actual)
        {
            failures.Add($"{map}: {field} {actual?.ToString() ?? "null"}, want {expected?.ToString() ?? "null"}");
        }
    }
}
