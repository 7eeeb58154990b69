using System.Globalization;
using AnomalyNcd.Contracts.Images;
using AnomalyNcd.Core.Common;
using AnomalyNcd.Analytics.Clustering;
using AnomalyNcd.Core.Synthetic;

namespace AnomalyNcd.Cli.Demo;

/// <summary>The demo's per-line summary (printed) and its per-image results file.</summary>
internal static class DemoReport
{
    public const string DiscoveryHeader = "line     images  regions  classes  train s    NMI    ARI     F1";
    public const string LabelsHeader = "line     labelled    NMI    ARI     F1  online F1  missed defective  normal flagged";
    public const string LatencyHeader = "line     online  classified  no anomaly  median ms  p95 ms  max ms";

    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static void Print(TextWriter output, IReadOnlyList<DemoLine> lines, string folder, TimeSpan elapsed)
    {
        output.WriteLine();
        output.WriteLine("Discovery per line (training grain on the regions of the images ingested before discovery; metrics of");
        output.WriteLine("the model's own region assignments against each region's true image kind)");
        output.WriteLine(DiscoveryHeader);
        foreach (var line in lines)
        {
            output.WriteLine(line.Failure is not null
                ? $"{line.Name,-8} {line.Discovery.Count,6}  {line.Failure}"
                : string.Create(C, $"{line.Name,-8} {line.Discovery.Count,6}  {line.TrainingRegions,7}  {line.DiscoveryClasses,7}  {line.TrainingTime.TotalSeconds,7:0.0}  {Metric(line.ModelNmi)}  {Metric(line.ModelAri)}  {Metric(line.ModelF1)}"));
        }

        output.WriteLine();
        output.WriteLine("Image labels against the synthetic ground truth (every image with at least one region, classified by the");
        output.WriteLine("promoted model: the discovery batch re-classified after promotion, plus the online images)");
        output.WriteLine(LabelsHeader);
        foreach (var line in lines)
        {
            var all = ImageMetrics(line.Results);
            var online = ImageMetrics(line.Results.Where(r => r.LatencyMs is not null));
            var missed = line.Results.Count(r => r.Status == nameof(ImageStatus.NoAnomaly) && r.Image.Truth != DefectKinds.NormalLabel);
            var defective = line.Results.Count(r => r.Image.Truth != DefectKinds.NormalLabel);
            var flagged = line.Results.Count(r => r.Status == nameof(ImageStatus.Classified) && r.Image.Truth == DefectKinds.NormalLabel);
            var normals = line.Results.Count(r => r.Image.Truth == DefectKinds.NormalLabel);
            output.WriteLine(string.Create(C,
                $"{line.Name,-8} {all?.N ?? 0,8}  {Metric(all?.Nmi)}  {Metric(all?.Ari)}  {Metric(all?.F1)}  {Metric(online?.F1),9}  {$"{missed}/{defective}",16}  {$"{flagged}/{normals}",14}"));
        }

        output.WriteLine();
        output.WriteLine("Online assignment latency (upload through the API to the classified result in its answer, one image at a time)");
        output.WriteLine(LatencyHeader);
        foreach (var line in lines)
        {
            var online = line.Results.Where(r => r.LatencyMs is not null).ToList();
            var classified = online.Where(r => r.Status == nameof(ImageStatus.Classified)).Select(r => r.LatencyMs!.Value).ToList();
            output.WriteLine(string.Create(C,
                $"{line.Name,-8} {online.Count,6}  {classified.Count,10}  {online.Count - classified.Count,10}  {Ms(Percentile(classified, 0.5)),9}  {Ms(Percentile(classified, 0.95)),6}  {Ms(classified.Count == 0 ? null : classified.Max()),6}"));
        }

        output.WriteLine();
        output.WriteLine("Classes per line (catalogue counts from the API; 'mostly' = the commonest true kind among its labelled images)");
        foreach (var line in lines)
        {
            output.WriteLine($"  {line.Name} ({line.Images} images, {line.AnomalousImages} with regions, {line.Regions} regions; true kinds: {string.Join(", ", line.Recipe.Kinds.Select(k => k.Name()))}, good):");
            foreach (var defectClass in line.Classes.OrderBy(c => c.ClassId, StringComparer.Ordinal))
            {
                var truths = line.Results.Where(r => r.ClassId == defectClass.ClassId).GroupBy(r => r.Image.Truth).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).ToList();
                var mostly = truths.Count == 0 ? "no labelled image" : $"mostly {truths[0].Key} ({truths[0].Count()} of {truths.Sum(g => g.Count())})";
                output.WriteLine($"    {defectClass.ClassId,-4} {defectClass.Images,4} images {defectClass.Regions,4} regions  {mostly}");
            }
        }

        var summary = DemoSummary.Build(lines);
        summary.Write(folder);
        output.WriteLine();
        output.WriteLine(string.Create(C,
            $"Per line against the targets (every image labelled with its class or 'no anomaly': image-label F1 >= {summary.Targets.ImageLabelF1:0.00}, missed defective <= {summary.Targets.MissedShare:P0}, normal flagged <= {summary.Targets.FlaggedShare:P0}; maps: {summary.Lines.FirstOrDefault()?.Maps ?? "none"})"));
        output.WriteLine("line     images    NMI    ARI     F1  missed  flagged  targets");
        foreach (var line in summary.Lines)
        {
            output.WriteLine(string.Create(C,
                $"{line.Line,-8} {line.Images,6}  {Metric(line.ImageLabelNmi)}  {Metric(line.ImageLabelAri)}  {Metric(line.ImageLabelF1)}  {Share(line.MissedShare),6}  {Share(line.FlaggedShare),7}  {(line.MeetsTargets ? "met" : "NOT met")}"));
        }

        var latencies = lines.SelectMany(l => l.Results).Where(r => r.LatencyMs is not null && r.Status == nameof(ImageStatus.Classified)).Select(r => r.LatencyMs!.Value).ToList();
        output.WriteLine();
        output.WriteLine("How to read this: NMI/ARI/F1 compare predicted classes with the true kinds (1 = perfect; F1 is the");
        output.WriteLine("Hungarian-matched accuracy, as in the paper). 'labelled' = images with a class; 'missed defective' =");
        output.WriteLine("defective images where MEBin found no region; 'normal flagged' = normal images that got a region (and a class).");
        output.WriteLine("Latency is measured by this client around each upload: decode, MEBin, crops, inference and storage included.");
        output.WriteLine(string.Create(C,
            $"Online latency over {latencies.Count} classified images: median {Ms(Percentile(latencies, 0.5))} ms, p95 {Ms(Percentile(latencies, 0.95))} ms (target: at most 1000 ms)."));
        output.WriteLine($"Per-image results: {Path.Combine(folder, "results.csv")}; per-line summary: {Path.Combine(folder, DemoSummary.FileName)}; generated factory: {Path.Combine(folder, "factory")}.");
        output.WriteLine(string.Create(C, $"Demo done in {elapsed.TotalSeconds:0.0} s."));
    }

    /// <summary>One row per streamed image: line, image, phase, true kind, status, class, latency (online only).</summary>
    public static void WriteResults(string path, IReadOnlyList<DemoLine> lines)
    {
        var rows = new List<string> { CsvTable.Join(["line", "image", "phase", "truth", "status", "class", "latency_ms"]) };
        foreach (var line in lines)
        {
            foreach (var result in line.Results)
            {
                rows.Add(CsvTable.Join([
                    line.Name, result.Image.Id, result.Image.Online ? "online" : "discovery", result.Image.Truth, result.Status, result.ClassId,
                    result.LatencyMs?.ToString("0.0", C),
                ]));
            }
        }

        AtomicFile.WriteAllText(path, string.Join("\n", rows) + "\n");
    }

    /// <summary>Image-level metrics over the classified images, or null when there are none.</summary>
    public static ClusteringMetrics? ImageMetrics(IEnumerable<DemoImageResult> results)
    {
        var labelled = results.Where(r => r.ClassId is not null).ToList();
        return labelled.Count == 0
            ? null
            : ClusteringEvaluator.Evaluate(labelled.Select(r => r.Image.Truth).ToList(), labelled.Select(r => r.ClassId!).ToList());
    }

    /// <summary>Nearest-rank percentile; null for no values.</summary>
    public static double? Percentile(IReadOnlyList<double> values, double fraction)
    {
        if (values.Count == 0)
        {
            return null;
        }

        var sorted = values.Order().ToList();
        var rank = (int)Math.Ceiling(fraction * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }

    private static string Metric(double? value) => value is { } v && double.IsFinite(v) ? v.ToString("0.000", C).PadLeft(5) : "  n/a";

    private static string Share(double? value) => value is { } v ? v.ToString("P1", C) : "n/a";

    private static string Ms(double? value) => value is { } v ? v.ToString("0", C) : "n/a";
}
