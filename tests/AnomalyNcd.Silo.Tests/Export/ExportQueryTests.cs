using AnomalyNcd.Silo.Export;

namespace AnomalyNcd.Silo.Tests.Export;

public sealed class ExportQueryTests
{
    [Theory]
    [InlineData("csv", ExportFormat.Csv, "csv")]
    [InlineData("JSON", ExportFormat.Json, "json")]
    [InlineData("coco", ExportFormat.Coco, "coco.json")]
    public void Parse_KnownFormat_GivesTheFormatAndItsExtension(string format, ExportFormat expected, string extension)
    {
        var (query, problem) = ExportQuery.Parse(format, null, null);

        Assert.Null(problem);
        Assert.Equal((expected, extension), (query!.Format, query.Extension));
    }

    [Theory]
    [InlineData(null, null, null, "'format'")]
    [InlineData("xml", null, null, "'format'")]
    [InlineData("csv", "yesterday", null, "'from'")]
    [InlineData("csv", null, "2026-13-01", "'to'")]
    [InlineData("csv", "2026-01-02T00:00:00Z", "2026-01-01T00:00:00Z", "'from'")]
    [InlineData("csv", "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z", "'to'")]
    public void Parse_InvalidInput_NamesTheParameter(string? format, string? from, string? to, string named)
    {
        var (query, problem) = ExportQuery.Parse(format, from, to);

        Assert.Null(query);
        Assert.Contains(named, problem);
    }

    [Fact]
    public void Includes_FromIsInclusiveAndToExclusive()
    {
        var (query, _) = ExportQuery.Parse("csv", "2026-01-01T10:00:00+01:00", "2026-01-01T10:00:00Z");
        var from = new DateTimeOffset(2026, 1, 1, 9, 0, 0, TimeSpan.Zero);

        Assert.True(query!.Includes(from));
        Assert.False(query.Includes(from.AddTicks(-1)));
        Assert.True(query.Includes(from.AddHours(1).AddTicks(-1)));
        Assert.False(query.Includes(from.AddHours(1)));
    }
}
