using AnomalyNcd.Contracts.Images;
using AnomalyNcd.Analytics.Clustering;

namespace AnomalyNcd.Dashboard.Logic;

/// <summary>Clustering quality against ground truth at one level (images by their label, or regions by their class).</summary>
public sealed record ClusteringScore(string Level, int Samples, double Nmi, double Ari, double F1);

/// <summary>What the binarisation produced on the images looked at.</summary>
public sealed record BinarisationStats(int Images, int AnomalousImages, int Regions, double RegionsPerAnomalousImage, int MaxRegionsInAnImage)
{
    public double AnomalousShare => Images == 0 ? 0 : (double)AnomalousImages / Images;
}

/// <summary>
/// Processed images, the rate over each of <see cref="ThroughputWindows.Windows"/> (never extrapolated from a burst),
/// and the per-image processing time.
/// </summary>
public sealed record Throughput(int ProcessedImages, IReadOnlyList<WindowRate> Rates, double? MedianMilliseconds, double? P95Milliseconds);

/// <summary>The metrics page's numbers for a line, from (a recent window of) its images.</summary>
public sealed record LineMetrics(IReadOnlyList<ClusteringScore> Clustering, int ImagesWithGroundTruth, BinarisationStats Binarisation, Throughput Throughput)
{
    /// <summary>
    /// Computes everything from the images. Ground truth is per image (<see cref="ImageResult.GroundTruthClass"/>);
    /// an image's regions all carry its class. Only images with ground truth and a prediction are scored; NMI, ARI and
    /// F1 (Hungarian-matched accuracy) come from Core's <see cref="ClusteringEvaluator"/>.
    /// </summary>
    public static LineMetrics From(IReadOnlyList<ImageResult> images, DateTimeOffset now)
    {
        var withTruth = images.Where(i => !string.IsNullOrEmpty(i.GroundTruthClass)).ToList();
        var clustering = new List<ClusteringScore>();

        var labelled = withTruth.Where(i => i.Label is not null).ToList();
        if (labelled.Count > 0)
        {
            clustering.Add(Score("images", labelled.Select(i => i.GroundTruthClass!).ToList(), labelled.Select(i => i.Label!.ClassId).ToList()));
        }

        var regions = withTruth.SelectMany(i => i.Regions.Where(r => r.ClassId is not null).Select(r => (Truth: i.GroundTruthClass!, Predicted: r.ClassId!))).ToList();
        if (regions.Count > 0)
        {
            clustering.Add(Score("regions", regions.Select(r => r.Truth).ToList(), regions.Select(r => r.Predicted).ToList()));
        }

        return new LineMetrics(clustering, withTruth.Count, Binarise(images), Measure(images, now));
    }

    private static ClusteringScore Score(string level, IReadOnlyList<string> truth, IReadOnlyList<string> predicted)
    {
        var metrics = ClusteringEvaluator.Evaluate(truth, predicted);
        return new ClusteringScore(level, metrics.N, metrics.Nmi, metrics.Ari, metrics.F1);
    }

    private static BinarisationStats Binarise(IReadOnlyList<ImageResult> images)
    {
        var processed = images.Where(i => i.Status != ImageStatus.Received).ToList();
        var anomalous = processed.Where(i => i.Regions.Length > 0).ToList();
        var regions = anomalous.Sum(i => i.Regions.Length);
        return new BinarisationStats(
            processed.Count,
            anomalous.Count,
            regions,
            anomalous.Count == 0 ? 0 : (double)regions / anomalous.Count,
            anomalous.Count == 0 ? 0 : anomalous.Max(i => i.Regions.Length));
    }

    private static Throughput Measure(IReadOnlyList<ImageResult> images, DateTimeOffset now)
    {
        var processed = images.Where(i => i.ProcessedAt is not null).ToList();
        var rates = ThroughputWindows.Rates(processed.Select(i => i.ProcessedAt!.Value), now);
        var times = processed.Select(i => i.ProcessingMilliseconds).Where(ms => ms > 0).Order().ToList();
        return new Throughput(processed.Count, rates, Quantile(times, 0.5), Quantile(times, 0.95));
    }

    /// <summary>Nearest-rank quantile of sorted values; null when there are none.</summary>
    internal static double? Quantile(IReadOnlyList<double> sorted, double q)
    {
        if (sorted.Count == 0)
        {
            return null;
        }

        var rank = (int)Math.Ceiling(q * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }
}
