using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Datasets;

namespace AnomalyNcd.Core.Metrics;

/// <summary>
/// Predictions joined to the manifest's labels on the exact <c>image</c> value (after trimming, as the
/// manifest reader trims). Works from the two CSV files alone; no image is opened.
/// </summary>
/// <param name="TrueLabels">Manifest label of each labelled prediction row, in file order.</param>
/// <param name="Predicted">Predicted class of each labelled prediction row, in file order.</param>
/// <param name="PredictionRows">Prediction rows read (labelled or not).</param>
/// <param name="SkippedUnlabelled">Rows skipped because the manifest has no label for their image.</param>
public sealed record LabelledPredictions(
    IReadOnlyList<string> TrueLabels,
    IReadOnlyList<string> Predicted,
    int PredictionRows,
    int SkippedUnlabelled)
{
    public static IReadOnlyList<string> RequiredColumns(EvaluationLevel level) =>
        level == EvaluationLevel.Region ? ["image", "region", "class"] : ["image", "class"];

    /// <summary>Reads <paramref name="predictionsPath"/> and joins it to <paramref name="manifestPath"/>.</summary>
    /// <exception cref="InvalidInputException">Missing file or column, no rows, an empty cell, a duplicate
    /// prediction, an image the manifest does not list, or no labelled row at all.</exception>
    public static LabelledPredictions Load(string predictionsPath, string manifestPath, EvaluationLevel level)
    {
        if (!File.Exists(predictionsPath))
        {
            throw new InvalidInputException(predictionsPath, "predictions file does not exist");
        }

        var manifest = Manifest.Load(manifestPath);
        var labelOfImage = manifest.Rows.ToDictionary(r => r.Image, r => r.Label, StringComparer.Ordinal);

        var records = CsvTable.Read(predictionsPath);
        if (records.Count == 0)
        {
            throw new InvalidInputException(predictionsPath, "predictions file is empty (no header line)");
        }

        var header = records[0].Select(h => h.Trim()).ToArray();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Length; i++)
        {
            index.TryAdd(header[i], i);
        }

        var required = RequiredColumns(level);
        var missing = required.Where(c => !index.ContainsKey(c)).ToList();
        if (missing.Count > 0)
        {
            var expected = level == EvaluationLevel.Region ? "image,region,...,class" : "image,class,confidence";
            throw new InvalidInputException(predictionsPath, $"header lacks column(s) {string.Join(", ", missing)} (expected {expected} for --level {level.ToString().ToLowerInvariant()})");
        }

        var trueLabels = new List<string>();
        var predicted = new List<string>();
        var firstLineOf = new Dictionary<string, int>(StringComparer.Ordinal);
        var rows = 0;
        var skipped = 0;
        for (var r = 1; r < records.Count; r++)
        {
            var fields = records[r];
            if (fields.Length == 1 && fields[0].Length == 0)
            {
                continue; // blank line
            }

            var line = r + 1;
            string Cell(string column)
            {
                var i = index[column];
                var value = i < fields.Length ? fields[i].Trim() : string.Empty;
                return value.Length > 0
                    ? value
                    : throw new InvalidInputException(predictionsPath, $"line {line}: the {column} column is empty");
            }

            var image = Cell("image");
            var predictedClass = Cell("class");
            var key = level == EvaluationLevel.Region ? $"{image}\n{Cell("region")}" : image;
            if (firstLineOf.TryGetValue(key, out var first))
            {
                var what = level == EvaluationLevel.Region ? $"region '{Cell("region")}' of image '{image}'" : $"image '{image}'";
                throw new InvalidInputException(predictionsPath, $"line {line}: duplicate prediction for {what} (first on line {first})");
            }

            firstLineOf[key] = line;
            rows++;
            if (!labelOfImage.TryGetValue(image, out var label))
            {
                throw new InvalidInputException(predictionsPath, $"line {line}: image '{image}' is not in the manifest {manifestPath}");
            }

            if (label is null)
            {
                skipped++;
                continue;
            }

            trueLabels.Add(label);
            predicted.Add(predictedClass);
        }

        if (rows == 0)
        {
            throw new InvalidInputException(predictionsPath, "predictions file has a header but no prediction rows");
        }

        if (trueLabels.Count == 0)
        {
            throw new InvalidInputException(predictionsPath, $"none of the {rows} prediction rows has a label in the manifest {manifestPath}");
        }

        return new LabelledPredictions(trueLabels, predicted, rows, skipped);
    }
}
