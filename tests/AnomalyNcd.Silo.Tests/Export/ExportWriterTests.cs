using System.Text;
using System.Text.Json;
using AnomalyNcd.Contracts.Images;
using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Contracts.Regions;
using AnomalyNcd.Silo.Export;

namespace AnomalyNcd.Silo.Tests.Export;

/// <summary>Each format's writer over a small catalogue: one confirmed class with a comma in its name, one proposed.</summary>
public sealed class ExportWriterTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 1, 8, 30, 0, TimeSpan.Zero);

    private static ExportCatalogue Catalogue() => new(
    [
        new DefectClass("k0", "Spot, dark", ClassStatus.Confirmed, 1, 1, [], At),
        new DefectClass("k1", null, ClassStatus.Proposed, 1, 1, [], At),
    ]);

    private static ExportImage[] Images() =>
    [
        new("a", "a.png", At, ImageStatus.Classified, 128, 96, "k0", "Spot, dark", 0.75,
            [new(0, new RegionBox(10, 20, 40, 60), 300, 0.9, "k0", "Spot, dark", 0.8, null), new(1, new RegionBox(1, 2, 5, 8), 12, 0.5, "k1", null, 0.6, null)]),
        new("b", "b.png", At.AddMinutes(1), ImageStatus.NoAnomaly, 128, 96, null, null, null, []),
    ];

    private static async Task<string> WriteAsync(ExportFormat format)
    {
        using var stream = new MemoryStream();
        await using (var writer = ExportWriters.For(format, stream))
        {
            await writer.BeginAsync(Catalogue(), CancellationToken.None);
            foreach (var image in Images())
            {
                await writer.WriteAsync(image, CancellationToken.None);
            }

            await writer.EndAsync(CancellationToken.None);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    [Fact]
    public async Task Csv_HeaderThenOneQuotedRowPerImage()
    {
        var csv = await WriteAsync(ExportFormat.Csv);

        Assert.Equal(
            "image,capturedAt,status,class,className,confidence,regions\r\n" +
            "a,2026-03-01T08:30:00.0000000+00:00,Classified,k0,\"Spot, dark\",0.75,2\r\n" +
            "b,2026-03-01T08:31:00.0000000+00:00,NoAnomaly,,,,0\r\n",
            csv);
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    public void Csv_QuotesAsRfc4180Says(string field, string expected) =>
        Assert.Equal(expected, CsvExportWriter.Quote(field));

    [Fact]
    public async Task Json_ImagesWithTheirRegions()
    {
        using var json = JsonDocument.Parse(await WriteAsync(ExportFormat.Json));

        var images = json.RootElement.GetProperty("images");
        Assert.Equal(2, images.GetArrayLength());
        var first = images[0];
        Assert.Equal(("a", "k0", "Spot, dark", 0.75), (first.GetProperty("image").GetString(), first.GetProperty("class").GetString(), first.GetProperty("className").GetString(), first.GetProperty("confidence").GetDouble()));
        var regions = first.GetProperty("regions");
        Assert.Equal(2, regions.GetArrayLength());
        var box = regions[0].GetProperty("box");
        Assert.Equal((10d, 20d, 40d, 60d), (box.GetProperty("left").GetDouble(), box.GetProperty("up").GetDouble(), box.GetProperty("right").GetDouble(), box.GetProperty("bottom").GetDouble()));
        Assert.Equal((300, "k1"), (regions[0].GetProperty("area").GetInt32(), regions[1].GetProperty("class").GetString()));
        Assert.Equal(JsonValueKind.Null, images[1].GetProperty("class").ValueKind);
        Assert.Equal(0, images[1].GetProperty("regions").GetArrayLength());
    }

    [Fact]
    public async Task Coco_ConfirmedClassesOnly_BboxIsTheRegionBox_ImagesWithoutThemOmitted()
    {
        using var json = JsonDocument.Parse(await WriteAsync(ExportFormat.Coco));
        var root = json.RootElement;

        var category = Assert.Single(root.GetProperty("categories").EnumerateArray());
        Assert.Equal((1, "Spot, dark"), (category.GetProperty("id").GetInt32(), category.GetProperty("name").GetString()));
        var image = Assert.Single(root.GetProperty("images").EnumerateArray());
        Assert.Equal((1, "a.png", 128, 96), (image.GetProperty("id").GetInt32(), image.GetProperty("file_name").GetString(), image.GetProperty("width").GetInt32(), image.GetProperty("height").GetInt32()));
        var annotation = Assert.Single(root.GetProperty("annotations").EnumerateArray());
        Assert.Equal((1, 1, 1, 300, 0), (annotation.GetProperty("id").GetInt32(), annotation.GetProperty("image_id").GetInt32(), annotation.GetProperty("category_id").GetInt32(), annotation.GetProperty("area").GetInt32(), annotation.GetProperty("iscrowd").GetInt32()));
        Assert.Equal([10d, 20d, 30d, 40d], annotation.GetProperty("bbox").EnumerateArray().Select(v => v.GetDouble()));
    }

    [Fact]
    public void Catalogue_ResolvesAMergedClassThroughTheDecisionsItHasSeen()
    {
        var catalogue = Catalogue();
        var key = new RegionKey("l", "a", 0);
        var fake = new Contracts.Artefacts.ArtefactRef(new string('f', 64), "crop", "png", 1);
        var moved = new RegionResult(key, new RegionBox(0, 0, 4, 4), 16, 0.9, fake, fake, null, "k7", 0.7, "v1", new OperatorDecision("merge", "k0", "olga", At));
        var image = new ImageResult("l", "a", ImageStatus.Classified, fake, null, null, 8, 8, [moved], new ImageLabel("k7", "old", 0.7, []), null, At, At, 1);

        var exported = catalogue.ToExport(image, [moved]);

        Assert.Equal(("k0", "Spot, dark"), (exported.ClassId, exported.ClassName));
        Assert.Equal(("k0", "Spot, dark"), (exported.Regions[0].ClassId, exported.Regions[0].ClassName));
        Assert.True(catalogue.IsConfirmed("k7"));
    }
}
