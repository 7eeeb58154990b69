using System.CommandLine;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using AnomalyNcd.Analytics.Clustering;
using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Metrics;

namespace AnomalyNcd.Cli.Commands;

/// <summary>
/// <c>anomalyncd eval</c>: scores predicted classes against the manifest's labels with the paper's metrics
/// (NMI, ARI, "F1" = Hungarian-matched accuracy) plus macro-F1 and per-class precision/recall.
/// </summary>
internal static class EvalCommand
{
    public const string MetricsFileName = "metrics.json";

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        // Keep class names and apostrophes readable; the file is data, never embedded in HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static Command Create(CliContext context)
    {
        var predictions = new Option<string>("--pred")
        {
            Description = "Predictions CSV: images.csv (image,class,confidence) or, with --level region, regions.csv (image,region,...,class). Extra columns are ignored.",
            Required = true,
        };
        var manifest = new Option<string>("--manifest")
        {
            Description = "Manifest CSV whose label column holds the ground truth; predictions join on the exact image value.",
            Required = true,
        };
        var level = new Option<string>("--level")
        {
            Description = "image: one prediction per image; region: one per region, each inheriting its image's label.",
            DefaultValueFactory = _ => "image",
        };
        level.AcceptOnlyFromAmong("image", "region");
        var output = new Option<string?>("--out")
        {
            Description = $"Folder for {MetricsFileName} (default: the predictions file's folder).",
        };

        var command = new Command("eval", "Score predicted classes against ground-truth labels (NMI, ARI, F1 = matched accuracy, macro-F1).");
        command.Options.Add(predictions);
        command.Options.Add(manifest);
        command.Options.Add(level);
        command.Options.Add(output);
        command.SetAction(parseResult =>
        {
            var predictionsPath = parseResult.GetValue(predictions)!;
            var manifestPath = parseResult.GetValue(manifest)!;
            var evaluationLevel = parseResult.GetValue(level) == "region" ? EvaluationLevel.Region : EvaluationLevel.Image;
            var outputFolder = parseResult.GetValue(output)
                ?? Path.GetDirectoryName(Path.GetFullPath(predictionsPath))!;
            return Run(context, predictionsPath, manifestPath, evaluationLevel, outputFolder);
        });
        return command;
    }

    private static int Run(CliContext context, string predictionsPath, string manifestPath, EvaluationLevel level, string outputFolder)
    {
        if (File.Exists(outputFolder))
        {
            throw new InvalidInputException(outputFolder, "--out must be a folder, but a file of that name exists");
        }

        var joined = LabelledPredictions.Load(predictionsPath, manifestPath, level);
        var metrics = ClusteringEvaluator.Evaluate(joined.TrueLabels, joined.Predicted);
        var levelName = level.ToString().ToLowerInvariant();

        Print(context.Out, metrics, joined, levelName);

        var report = new
        {
            level = levelName,
            n = metrics.N,
            nmi = metrics.Nmi,
            ari = metrics.Ari,
            f1 = metrics.F1,
            f1Definition = "Hungarian-matched accuracy (micro-F1), as in the paper's code",
            macroF1 = metrics.MacroF1,
            predictionRows = joined.PredictionRows,
            skippedUnlabelled = joined.SkippedUnlabelled,
            predictions = Path.GetFullPath(predictionsPath),
            manifest = Path.GetFullPath(manifestPath),
            perClass = metrics.PerClass,
            mapping = metrics.Mapping,
        };
        var metricsPath = Path.Combine(outputFolder, MetricsFileName);
        AtomicFile.WriteAllText(metricsPath, JsonSerializer.Serialize(report, JsonOptions) + "\n");
        context.Out.WriteLine($"wrote {metricsPath}");
        return AnomalyNcdCli.ExitOk;
    }

    private static void Print(TextWriter output, ClusteringMetrics metrics, LabelledPredictions joined, string level)
    {
        static string F(double value) => value.ToString("0.0000", CultureInfo.InvariantCulture);

        var skipped = joined.SkippedUnlabelled > 0 ? $" ({joined.SkippedUnlabelled} unlabelled prediction(s) skipped)" : string.Empty;
        output.WriteLine($"level     {level}");
        output.WriteLine($"n         {metrics.N}{skipped}");
        output.WriteLine($"NMI       {F(metrics.Nmi)}");
        output.WriteLine($"ARI       {F(metrics.Ari)}");
        output.WriteLine($"F1        {F(metrics.F1)}  (Hungarian-matched accuracy = micro-F1, the paper's \"F1\")");
        output.WriteLine($"macro-F1  {F(metrics.MacroF1)}  (mean per-class F1 over ground-truth classes)");
        output.WriteLine();

        var classWidth = Math.Max("class".Length, metrics.PerClass.Max(s => s.Class.Length));
        output.WriteLine($"{"class".PadRight(classWidth)}  support  predicted  precision  recall      F1");
        foreach (var s in metrics.PerClass)
        {
            output.WriteLine($"{s.Class.PadRight(classWidth)}  {s.Support,7}  {s.Predicted,9}  {F(s.Precision),9}  {F(s.Recall),6}  {F(s.F1),6}");
        }

        output.WriteLine();
        output.WriteLine("cluster -> class (correct/size)");
        foreach (var m in metrics.Mapping)
        {
            output.WriteLine($"  {m.Cluster} -> {m.MatchedClass ?? "(unmatched)"} ({m.Correct}/{m.Size})");
        }
    }
}
