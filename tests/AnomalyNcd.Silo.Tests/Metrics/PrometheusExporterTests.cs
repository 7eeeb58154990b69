using System.Diagnostics.Metrics;
using AnomalyNcd.Silo.Metrics;

namespace AnomalyNcd.Silo.Tests.Metrics;

/// <summary>The text the exporter writes, line by line, for a counter and a histogram of a meter of the test's own.</summary>
public sealed class PrometheusExporterTests : IDisposable
{
    private readonly Meter meter = new($"test.export.{Guid.NewGuid():N}");

    public void Dispose() => meter.Dispose();

    [Fact]
    public void Counter_IsWrittenAsTotal_OneLinePerTagValue()
    {
        using var exporter = new PrometheusExporter(meter.Name);
        var counter = meter.CreateCounter<long>("shop.images", "{image}", "Images seen");

        counter.Add(2, new KeyValuePair<string, object?>("outcome", "created"));
        counter.Add(1, new KeyValuePair<string, object?>("outcome", "already-stored"));
        counter.Add(3, new KeyValuePair<string, object?>("outcome", "created"));

        Assert.Equal(
            """
            # HELP shop_images_total Images seen
            # TYPE shop_images_total counter
            shop_images_total{outcome="already-stored"} 1
            shop_images_total{outcome="created"} 5

            """.ReplaceLineEndings("\n"),
            exporter.Write());
    }

    [Fact]
    public void Histogram_IsWrittenAsCumulativeBuckets_SumAndCount_InSeconds()
    {
        using var exporter = new PrometheusExporter(meter.Name, [0.125, 1]);
        var histogram = meter.CreateHistogram<double>("shop.stage.duration", "s", "Stage time");

        histogram.Record(0.0625, new KeyValuePair<string, object?>("stage", "api.validate"));
        histogram.Record(0.125, new KeyValuePair<string, object?>("stage", "api.validate"));
        histogram.Record(0.5, new KeyValuePair<string, object?>("stage", "api.validate"));
        histogram.Record(2.25, new KeyValuePair<string, object?>("stage", "api.validate"));

        Assert.Equal(
            """
            # HELP shop_stage_duration_seconds Stage time
            # TYPE shop_stage_duration_seconds histogram
            shop_stage_duration_seconds_bucket{stage="api.validate",le="0.125"} 2
            shop_stage_duration_seconds_bucket{stage="api.validate",le="1"} 3
            shop_stage_duration_seconds_bucket{stage="api.validate",le="+Inf"} 4
            shop_stage_duration_seconds_sum{stage="api.validate"} 2.9375
            shop_stage_duration_seconds_count{stage="api.validate"} 4

            """.ReplaceLineEndings("\n"),
            exporter.Write());
    }

    [Fact]
    public void LabelValues_AreEscaped_AndSeveralTagsShareOneSeries()
    {
        using var exporter = new PrometheusExporter(meter.Name);
        var counter = meter.CreateCounter<int>("odd-name.2", null, "a \\ help\nline");

        counter.Add(1, new("path", "C:\\x \"y\"\nz"), new("kind", "a"));
        counter.Add(1, new("kind", "a"), new("path", "C:\\x \"y\"\nz"));

        Assert.Equal(
            """
            # HELP odd_name_2_total a \\ help\nline
            # TYPE odd_name_2_total counter
            odd_name_2_total{kind="a",path="C:\\x \"y\"\nz"} 2

            """.ReplaceLineEndings("\n"),
            exporter.Write());
    }

    [Theory]
    [InlineData("anomalyncd.ingest.stage.duration", "anomalyncd_ingest_stage_duration")]
    [InlineData("9lives", "_9lives")]
    [InlineData("a:b-c é", "a:b_c__")]
    public void Names_AreSanitised(string name, string expected)
    {
        Assert.Equal(expected, PrometheusExporter.SanitizeName(name));
        Assert.Matches("^[a-zA-Z_:][a-zA-Z0-9_:]*$", PrometheusExporter.SanitizeName(name));
    }

    [Fact]
    public void OtherMeters_AndInstrumentsWithoutMeasurements_AreLeftOut()
    {
        using var other = new Meter($"test.other.{Guid.NewGuid():N}");
        using var exporter = new PrometheusExporter(meter.Name);
        meter.CreateCounter<long>("silent");
        other.CreateCounter<long>("foreign").Add(1);

        Assert.Equal(string.Empty, exporter.Write());
    }
}
