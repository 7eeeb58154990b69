using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using AnomalyNcd.Core.Diagnostics;

namespace AnomalyNcd.Silo.Metrics;

/// <summary>
/// Aggregates the counters and histograms of one meter from the moment it is created, and writes them in the
/// Prometheus text exposition format 0.0.4 (counters as <c>_total</c>; histograms as cumulative <c>_bucket</c> lines
/// with <c>le</c>, then <c>_sum</c> and <c>_count</c>). Names become <c>[a-zA-Z_:][a-zA-Z0-9_:]*</c>, a seconds unit
/// adds <c>_seconds</c>. Other instrument kinds are not exported.
/// </summary>
public sealed class PrometheusExporter : IDisposable
{
    /// <summary>The content type of <see cref="Write"/>'s text.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>Bucket bounds in seconds: stages take from a fraction of a millisecond (a state write) to minutes (training).</summary>
    public static readonly double[] DefaultBounds = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

    private readonly MeterListener listener = new();
    private readonly List<InstrumentAggregate> aggregates = [];

    public PrometheusExporter(string meterName = AnomalyNcdMeter.Name, double[]? bounds = null)
    {
        var histogramBounds = bounds ?? DefaultBounds;
        listener.InstrumentPublished = (instrument, own) =>
        {
            if (instrument.Meter.Name != meterName || !IsExported(instrument))
            {
                return;
            }

            var aggregate = new InstrumentAggregate(instrument, histogramBounds);
            lock (aggregates)
            {
                aggregates.Add(aggregate);
            }

            own.EnableMeasurementEvents(instrument, aggregate);
        };
        listener.SetMeasurementEventCallback<double>(static (_, value, tags, state) => ((InstrumentAggregate)state!).Add(value, tags));
        listener.SetMeasurementEventCallback<long>(static (_, value, tags, state) => ((InstrumentAggregate)state!).Add(value, tags));
        listener.SetMeasurementEventCallback<int>(static (_, value, tags, state) => ((InstrumentAggregate)state!).Add(value, tags));
        listener.Start();
    }

    /// <summary>Every exported instrument that has measurements, ordered by name.</summary>
    public string Write()
    {
        InstrumentAggregate[] all;
        lock (aggregates)
        {
            all = [.. aggregates];
        }

        var text = new StringBuilder();
        foreach (var (name, aggregate) in all.Select(a => (Name: ExportedName(a.Instrument, a.IsHistogram), Aggregate: a)).OrderBy(a => a.Name, StringComparer.Ordinal))
        {
            var series = aggregate.Series();
            if (series.Count == 0)
            {
                continue;
            }

            text.Append("# HELP ").Append(name).Append(' ').Append(EscapeHelp(aggregate.Instrument.Description ?? string.Empty)).Append('\n');
            text.Append("# TYPE ").Append(name).Append(aggregate.IsHistogram ? " histogram\n" : " counter\n");
            foreach (var one in series)
            {
                if (aggregate.IsHistogram)
                {
                    WriteHistogram(text, name, one, aggregate.Bounds);
                }
                else
                {
                    text.Append(name).Append(Labels(one.Labels, null)).Append(' ').Append(Number(one.Sum)).Append('\n');
                }
            }
        }

        return text.ToString();
    }

    public void Dispose() => listener.Dispose();

    /// <summary>A name Prometheus accepts: every other character becomes '_', and a leading digit gets one in front.</summary>
    public static string SanitizeName(string name)
    {
        var chars = name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or ':' ? c : '_').ToArray();
        var sanitized = new string(chars);
        return sanitized.Length == 0 || char.IsAsciiDigit(sanitized[0]) ? "_" + sanitized : sanitized;
    }

    /// <summary>A label value inside double quotes: backslash, double quote and line feed escaped.</summary>
    public static string EscapeLabelValue(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static bool IsExported(Instrument instrument)
    {
        var type = instrument.GetType();
        return type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(Counter<>) || type.GetGenericTypeDefinition() == typeof(Histogram<>));
    }

    private static string ExportedName(Instrument instrument, bool histogram)
    {
        var name = SanitizeName(instrument.Name);
        if (instrument.Unit == "s" && !name.EndsWith("_seconds", StringComparison.Ordinal))
        {
            name += "_seconds";
        }

        return histogram || name.EndsWith("_total", StringComparison.Ordinal) ? name : name + "_total";
    }

    private static void WriteHistogram(StringBuilder text, string name, MetricSeries series, double[] bounds)
    {
        var counts = series.BucketCounts();
        var cumulative = 0L;
        for (var i = 0; i < counts.Length; i++)
        {
            cumulative += counts[i];
            var le = i < bounds.Length ? Number(bounds[i]) : "+Inf";
            text.Append(name).Append("_bucket").Append(Labels(series.Labels, le)).Append(' ').Append(cumulative.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        // The count is the +Inf bucket, so the lines agree even while measurements arrive.
        text.Append(name).Append("_sum").Append(Labels(series.Labels, null)).Append(' ').Append(Number(series.Sum)).Append('\n');
        text.Append(name).Append("_count").Append(Labels(series.Labels, null)).Append(' ').Append(cumulative.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }

    private static string Labels(KeyValuePair<string, string>[] labels, string? le)
    {
        if (labels.Length == 0 && le is null)
        {
            return string.Empty;
        }

        var parts = labels.Select(l => $"{SanitizeLabelName(l.Key)}=\"{EscapeLabelValue(l.Value)}\"");
        return "{" + string.Join(',', le is null ? parts : parts.Append($"le=\"{le}\"")) + "}";
    }

    private static string SanitizeLabelName(string name)
    {
        var sanitized = new string([.. name.Select(c => char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_')]);
        return sanitized.Length == 0 || char.IsAsciiDigit(sanitized[0]) ? "_" + sanitized : sanitized;
    }

    private static string EscapeHelp(string help) =>
        help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string Number(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf"
        : double.IsNegativeInfinity(value) ? "-Inf"
        : double.IsNaN(value) ? "NaN"
        : value.ToString("R", CultureInfo.InvariantCulture);
}
