using System.Globalization;
using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Datasets;
using AnomalyNcd.Core.Imaging;

namespace AnomalyNcd.Core.Training.Data;

/// <summary>
/// Reads the crops listed in a <c>regions.csv</c> written by the region extraction stage
/// (columns image,region,...,score,line,label,crop,crop_mask; crop paths relative to the CSV's folder).
/// </summary>
public static class RegionsCsvCropReader
{
    private static readonly string[] RequiredColumns = ["image", "region", "score", "label", "crop", "crop_mask"];

    /// <summary>
    /// Loads every row's crop (RGB) and crop mask (gray). Class names come from the label column, or
    /// from <paramref name="labelManifest"/> (looked up by the row's image path) when one is given.
    /// </summary>
    public static List<CropInput> Read(string regionsCsvPath, Manifest? labelManifest = null)
    {
        if (!File.Exists(regionsCsvPath))
        {
            throw new InvalidInputException(regionsCsvPath, "regions file does not exist");
        }

        var records = CsvTable.Read(regionsCsvPath);
        if (records.Count == 0)
        {
            throw new InvalidInputException(regionsCsvPath, "regions file is empty (no header line)");
        }

        var header = records[0].Select(h => h.Trim()).ToArray();
        var column = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Length; i++)
        {
            column.TryAdd(header[i], i);
        }

        var missing = RequiredColumns.Where(c => !column.ContainsKey(c)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidInputException(regionsCsvPath, $"header lacks column(s) {string.Join(", ", missing)}");
        }

        var manifestLabels = labelManifest?.Rows.ToDictionary(r => r.Image, r => r.Label, StringComparer.Ordinal);
        var folder = Path.GetDirectoryName(Path.GetFullPath(regionsCsvPath))!;
        var crops = new List<CropInput>(records.Count - 1);
        try
        {
            for (var r = 1; r < records.Count; r++)
            {
                var fields = records[r];
                if (fields.Length == 1 && fields[0].Length == 0)
                {
                    continue;
                }

                crops.Add(ReadRow(regionsCsvPath, folder, r + 1, fields, column, manifestLabels));
            }
        }
        catch
        {
            foreach (var crop in crops)
            {
                crop.Image.Dispose();
            }

            throw;
        }

        return crops;
    }

    private static CropInput ReadRow(
        string csvPath,
        string folder,
        int line,
        string[] fields,
        Dictionary<string, int> column,
        Dictionary<string, string?>? manifestLabels)
    {
        string Cell(string name)
        {
            var i = column[name];
            return i < fields.Length ? fields[i].Trim() : string.Empty;
        }

        var image = Cell("image");
        if (image.Length == 0)
        {
            throw new InvalidInputException(csvPath, $"line {line}: the image column is empty");
        }

        if (!int.TryParse(Cell("region"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var region))
        {
            throw new InvalidInputException(csvPath, $"line {line}: region '{Cell("region")}' is not an integer");
        }

        var scoreText = Cell("score");
        var score = 0.0;
        if (scoreText.Length > 0 && !double.TryParse(scoreText, NumberStyles.Float, CultureInfo.InvariantCulture, out score))
        {
            throw new InvalidInputException(csvPath, $"line {line}: score '{scoreText}' is not a number");
        }

        var cropFile = Cell("crop");
        var maskFile = Cell("crop_mask");
        if (cropFile.Length == 0 || maskFile.Length == 0)
        {
            throw new InvalidInputException(csvPath, $"line {line}: no crop or crop_mask file (extract with crops written)");
        }

        string? label;
        if (manifestLabels is null)
        {
            label = Cell("label") is { Length: > 0 } l ? l : null;
        }
        else if (!manifestLabels.TryGetValue(image, out label))
        {
            throw new InvalidInputException(csvPath, $"line {line}: image '{image}' is not in the label manifest");
        }

        var cropPath = Path.GetFullPath(Path.Combine(folder, cropFile));
        var maskPath = Path.GetFullPath(Path.Combine(folder, maskFile));
        var rgb = ImageFiles.ReadRgb(cropPath);
        try
        {
            var mask = ImageFiles.ReadGray(maskPath);
            if (mask.Width != rgb.Width || mask.Height != rgb.Height)
            {
                throw new InvalidInputException(maskPath, $"crop mask is {mask.Width}x{mask.Height} but its crop {cropFile} is {rgb.Width}x{rgb.Height}");
            }

            return new CropInput(rgb, mask, label, score, image, region, cropPath);
        }
        catch
        {
            rgb.Dispose();
            throw;
        }
    }
}
