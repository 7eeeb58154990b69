using System.Diagnostics.Metrics;

namespace AnomalyNcd.Core.Diagnostics;

/// <summary>
/// The one <see cref="System.Diagnostics.Metrics.Meter"/> of the product: stage histograms and counters of every area
/// (detection, discovery, ingest) are created on it, so one listener (the <c>/metrics</c> exporter, a bench's
/// <see cref="StageReader"/>) finds them all by its name.
/// </summary>
public static class AnomalyNcdMeter
{
    public const string Name = "AnomalyNcd";

    public static readonly Meter Meter = new(Name);
}
