using System.Text.Json;
using System.Text.Json.Serialization;
using AnomalyNcd.Contracts.Images;
using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Synthetic;

namespace AnomalyNcd.Cli.Demo;

/// <summary>
/// What an operator would judge a line by, against the demo's targets: every streamed image gets a label (its class,
/// or "no anomaly"), compared with its true kind; how many defective images were missed and how many normal ones flagged.
/// </summary>
internal sealed record DemoLineSummary(
    string Line,
    string Maps,
    string? DetectorVersion,
    int? DetectorNormalImages,
    double? DetectorSeconds,
    int Images,
    double? ImageLabelNmi,
    double? ImageLabelAri,
    double? ImageLabelF1,
    int Defective,
    int MissedDefective,
    double? MissedShare,
    int Normal,
    int NormalFlagged,
    double? FlaggedShare,
    double? OnlineMedianMs,
    double? OnlineP95Ms,
    bool MeetsTargets);

/// <summary>The demo's <c>summary.json</c>: the targets and one <see cref="DemoLineSummary"/> per line.</summary>
internal sealed record DemoSummary(DemoTargets Targets, IReadOnlyList<DemoLineSummary> Lines)
{
    public const string FileName = "summary.json";

    /// <summary>The label an image without regions gets when images are compared with their true kinds.</summary>
    public const string NoAnomalyLabel = "no-anomaly";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static DemoSummary Build(IReadOnlyList<DemoLine> lines) =>
        new(DemoTargets.Default, [.. lines.Select(Line)]);

    public void Write(string folder) =>
        AtomicFile.WriteAllText(Path.Combine(folder, FileName), JsonSerializer.Serialize(this, Json) + "\n");

    private static DemoLineSummary Line(DemoLine line)
    {
        var results = line.Results;
        var everyImage = results.Count == 0
            ? null
            : Analytics.Clustering.ClusteringEvaluator.Evaluate(
                results.Select(r => r.Image.Truth).ToList(),
                results.Select(r => r.ClassId ?? NoAnomalyLabel).ToList());
        var defective = results.Count(r => r.Image.Truth != DefectKinds.NormalLabel);
        var missed = results.Count(r => r.Status == nameof(ImageStatus.NoAnomaly) && r.Image.Truth != DefectKinds.NormalLabel);
        var normal = results.Count(r => r.Image.Truth == DefectKinds.NormalLabel);
        var flagged = results.Count(r => r.Status == nameof(ImageStatus.Classified) && r.Image.Truth == DefectKinds.NormalLabel);
        var online = results.Where(r => r.LatencyMs is not null && r.Status == nameof(ImageStatus.Classified)).Select(r => r.LatencyMs!.Value).ToList();
        double? missedShare = defective == 0 ? null : (double)missed / defective;
        double? flaggedShare = normal == 0 ? null : (double)flagged / normal;
        var targets = DemoTargets.Default;
        var meets = everyImage is { } m && m.F1 >= targets.ImageLabelF1
            && (missedShare ?? 0) <= targets.MissedShare && (flaggedShare ?? 0) <= targets.FlaggedShare;
        return new DemoLineSummary(
            line.Name,
            line.Detector is null ? "simulated" : "detector",
            line.Detector?.Version,
            line.Detector?.NormalImages,
            line.Detector is { } detector ? Math.Round(detector.Time.TotalSeconds, 1) : null,
            results.Count,
            Round(everyImage?.Nmi),
            Round(everyImage?.Ari),
            Round(everyImage?.F1),
            defective,
            missed,
            Round(missedShare),
            normal,
            flagged,
            Round(flaggedShare),
            Round(DemoReport.Percentile(online, 0.5)),
            Round(DemoReport.Percentile(online, 0.95)),
            meets);
    }

    private static double? Round(double? value) => value is { } v && double.IsFinite(v) ? Math.Round(v, 3) : null;
}

/// <summary>Per line: image-label F1 at least this, at most these shares of defective images missed and normal images flagged.</summary>
internal sealed record DemoTargets(double ImageLabelF1, double MissedShare, double FlaggedShare)
{
    public static DemoTargets Default { get; } = new(0.75, 0.10, 0.10);
}
