using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace AnomalyNcd.Silo.Metrics;

/// <summary>
/// The running totals of one instrument, one series per distinct set of tags. Lookups of a series with at most one
/// tag allocate nothing (the key is the tag itself), which covers every instrument of the product.
/// </summary>
internal sealed class InstrumentAggregate(Instrument instrument, double[] bounds)
{
    private readonly ConcurrentDictionary<SeriesKey, MetricSeries> series = new();

    public Instrument Instrument { get; } = instrument;

    public bool IsHistogram { get; } = instrument.GetType().IsGenericType && instrument.GetType().GetGenericTypeDefinition() == typeof(Histogram<>);

    /// <summary>Upper bounds of the histogram buckets (the <c>+Inf</c> bucket is implied).</summary>
    public double[] Bounds { get; } = bounds;

    public void Add(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var key = SeriesKey.Of(tags);
        var target = series.TryGetValue(key, out var found)
            ? found
            : series.GetOrAdd(key, new MetricSeries(Labels(tags), IsHistogram ? Bounds.Length + 1 : 0));
        target.Add(value, Bounds);
    }

    /// <summary>The series in a stable order (by their labels).</summary>
    public IReadOnlyList<MetricSeries> Series() =>
        [.. series.Values.OrderBy(s => string.Join('\n', s.Labels.Select(l => l.Key + "=" + l.Value)), StringComparer.Ordinal)];

    private static KeyValuePair<string, string>[] Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = new KeyValuePair<string, string>[tags.Length];
        for (var i = 0; i < tags.Length; i++)
        {
            labels[i] = new(tags[i].Key, Convert.ToString(tags[i].Value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty);
        }

        return [.. labels.OrderBy(l => l.Key, StringComparer.Ordinal)];
    }

    /// <summary>One tag as it came (no allocation), or every tag in one canonical string when there are several.</summary>
    private readonly record struct SeriesKey(string? Key, object? Value, string? Several)
    {
        public static SeriesKey Of(ReadOnlySpan<KeyValuePair<string, object?>> tags) => tags.Length switch
        {
            0 => default,
            1 => new SeriesKey(tags[0].Key, tags[0].Value, null),
            _ => new SeriesKey(null, null, Canonical(tags)),
        };

        private static string Canonical(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var parts = new string[tags.Length];
            for (var i = 0; i < tags.Length; i++)
            {
                parts[i] = tags[i].Key + "\u0001" + Convert.ToString(tags[i].Value, System.Globalization.CultureInfo.InvariantCulture);
            }

            Array.Sort(parts, StringComparer.Ordinal);
            return string.Join('\u0002', parts);
        }
    }
}

/// <summary>One series: its labels, the sum and count of its measurements, and (for a histogram) its bucket counts.</summary>
internal sealed class MetricSeries(KeyValuePair<string, string>[] labels, int buckets)
{
    private readonly long[] bucketCounts = new long[buckets];
    private long count;
    private long sumBits;

    public KeyValuePair<string, string>[] Labels { get; } = labels;

    public long Count => Interlocked.Read(ref count);

    public double Sum => BitConverter.Int64BitsToDouble(Interlocked.Read(ref sumBits));

    /// <summary>How many measurements fell into each bucket (not cumulative; the last is above every bound).</summary>
    public long[] BucketCounts() => [.. bucketCounts.Select((_, i) => Interlocked.Read(ref bucketCounts[i]))];

    public void Add(double value, double[] bounds)
    {
        if (bucketCounts.Length > 0)
        {
            // A bucket holds values up to and including its bound, as Prometheus' "le" says.
            var index = Array.BinarySearch(bounds, value);
            Interlocked.Increment(ref bucketCounts[index >= 0 ? index : ~index]);
        }

        Interlocked.Increment(ref count);
        long seen;
        long next;
        do
        {
            seen = Interlocked.Read(ref sumBits);
            next = BitConverter.DoubleToInt64Bits(BitConverter.Int64BitsToDouble(seen) + value);
        }
        while (Interlocked.CompareExchange(ref sumBits, next, seen) != seen);
    }
}
