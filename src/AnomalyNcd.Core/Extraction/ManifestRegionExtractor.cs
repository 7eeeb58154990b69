using System.Text;
using AnomalyNcd.Core.Binarization;
using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Cropping;
using AnomalyNcd.Core.Datasets;
using AnomalyNcd.Core.Imaging;
using AnomalyNcd.Core.Metrics;
using OpenCvSharp;

namespace AnomalyNcd.Core.Extraction;

/// <summary>
/// Stage 1 over a manifest: every line's maps form one MEBin set; each image is cropped around its
/// regions; the crops, crop masks and <c>regions.csv</c> are written to an output folder. When the
/// manifest has ground-truth masks, the binarisation is scored against them (box FNR/FPR).
/// </summary>
public static class ManifestRegionExtractor
{
    public const string DefaultLine = "default";

    /// <summary>Runs the stage; everything goes below <paramref name="outputFolder"/> (a staging folder the caller commits).</summary>
    public static IReadOnlyList<LineRegionSummary> Run(
        Manifest manifest,
        string manifestPath,
        string outputFolder,
        ManifestRegionOptions? options = null,
        IProgress<ProgressUpdate>? progress = null,
        CancellationToken cancellationToken = default)
    {
        options ??= new ManifestRegionOptions();
        var fromMaps = options.Source == RegionSource.AnomalyMaps;
        var rows = manifest.Rows
            .Where(r => (!fromMaps || r.AnomalyMap is not null) && (options.Split is null || r.Split == options.Split) && (options.Line is null || (r.Line ?? DefaultLine) == options.Line))
            .ToList();
        if (rows.Count == 0)
        {
            var which = options.Split is null ? string.Empty : $" in split '{options.Split}'";
            throw new InvalidInputException(manifestPath, fromMaps ? $"no rows with an anomaly map{which}" : $"no rows{which}");
        }

        var regionsCsv = new StringBuilder().Append(string.Join(',', RegionRecord.Header)).Append('\n');
        var summaries = new List<LineRegionSummary>();
        foreach (var line in rows.GroupBy(r => r.Line ?? DefaultLine, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var lineRows = line.ToList();
            var set = fromMaps
                ? RegionExtractor.Extract(
                    [.. lineRows.Select(r => new MapEntry(r.Image, manifest.Resolve(r.AnomalyMap!), manifest.Resolve(r.Image)))],
                    line.Key, options.Extraction, progress, cancellationToken)
                : GroundTruthRegions(manifest, lineRows, line.Key, options, progress, cancellationToken);
            var perImage = CropLine(manifest, lineRows, set, outputFolder, options, progress, cancellationToken);
            foreach (var record in perImage.SelectMany(p => p.Records))
            {
                regionsCsv.Append(record.ToCsv()).Append('\n');
            }

            summaries.Add(Summarize(line.Key, set, lineRows, perImage));
        }

        AtomicFile.WriteAllText(Path.Combine(outputFolder, "regions.csv"), regionsCsv.ToString());
        return summaries;
    }

    private sealed record ImageOutcome(IReadOnlyList<RegionRecord> Records, BoxErrorCounts? Errors);

    private static ImageOutcome[] CropLine(
        Manifest manifest,
        IReadOnlyList<ManifestRow> rows,
        ExtractedMapSet set,
        string outputFolder,
        ManifestRegionOptions options,
        IProgress<ProgressUpdate>? progress,
        CancellationToken cancellationToken)
    {
        return ParallelWork.Map(
            rows.Count, i => CropImage(manifest, rows[i], set, set.Maps[i], outputFolder, options), $"crop {set.SetName}", progress, cancellationToken);
    }

    private static ImageOutcome CropImage(
        Manifest manifest,
        ManifestRow row,
        ExtractedMapSet set,
        ExtractedMap extracted,
        string outputFolder,
        ManifestRegionOptions options)
    {
        using var image = ImageFiles.ReadRgb(manifest.Resolve(row.Image));
        if ((extracted.CropMask.Width, extracted.CropMask.Height) != (image.Width, image.Height))
        {
            // Only a manifest mask can get here: map sizes were checked (or resized) during extraction.
            throw new InvalidInputException(
                manifest.Resolve(row.Mask ?? row.Image),
                $"mask is {extracted.CropMask.Width}x{extracted.CropMask.Height} but its image is {image.Width}x{image.Height}");
        }

        var scorer = options.Source == RegionSource.AnomalyMaps ? new CropScorer(extracted.Map, set.Range, image.Width, image.Height) : null;
        using var stage1 = SubImageCropper.Cut(image, extracted.CropMask, extracted.Plan, scorer);

        var stem = SafeName(row.Image);
        var records = new List<RegionRecord>(stage1.Crops.Count);
        foreach (var crop in stage1.Crops)
        {
            string? cropPath = null, maskPath = null;
            if (options.WriteCrops)
            {
                cropPath = $"crops/{set.SetName}/images/{stem}_crop{crop.Index}.png";
                maskPath = $"crops/{set.SetName}/masks/{stem}_crop{crop.Index}.png";
                using var bgr = new Mat();
                Cv2.CvtColor(crop.Image, bgr, ColorConversionCodes.RGB2BGR);
                ImageFiles.WritePng(Path.Combine(outputFolder, cropPath), bgr);
                ImageFiles.WritePng(Path.Combine(outputFolder, maskPath), crop.Mask);
            }

            var box = crop.Box;
            records.Add(new RegionRecord(
                row.Image, crop.Index, box.Left, box.Up, box.Right, box.Bottom, crop.ForegroundArea,
                crop.ScoreFraction ?? (crop.ForegroundArea > 0 ? 1.0 : 0.0), set.SetName, row.Label, cropPath, maskPath));
        }

        return new ImageOutcome(records, ScoreAgainstGroundTruth(manifest, row, extracted, image.Width, image.Height));
    }

    /// <summary>
    /// Regions from the manifest's own masks, shaped like MEBin's output so that cropping is shared:
    /// mask thresholded at &gt;127, estimate = number of external regions, no anomaly map (crop score =
    /// 1 for a crop with foreground, 0 for an empty one).
    /// </summary>
    private static ExtractedMapSet GroundTruthRegions(
        Manifest manifest,
        IReadOnlyList<ManifestRow> rows,
        string setName,
        ManifestRegionOptions options,
        IProgress<ProgressUpdate>? progress,
        CancellationToken cancellationToken)
    {
        var maps = ParallelWork.Map(rows.Count, i => GroundTruthRegion(manifest, rows[i], options), $"read masks {setName}", progress, cancellationToken);
        return new ExtractedMapSet(setName, default, maps);
    }

    private static ExtractedMap GroundTruthRegion(Manifest manifest, ManifestRow row, ManifestRegionOptions options)
    {
        GrayImage mask;
        if (row.Mask is null)
        {
            var (width, height) = ImageFiles.ReadSize(manifest.Resolve(row.Image));
            mask = new GrayImage(width, height);
        }
        else
        {
            // Its size is checked against the image when the image is decoded for cropping.
            mask = ImageFiles.ReadGray(manifest.Resolve(row.Mask));
            BinaryMasks.ThresholdInPlace(mask);
        }

        var regions = CropBoxPlanner.FindRegions(mask).Count;
        var choice = regions == 0 ? MebinThreshold.NoAnomaly : new MebinThreshold(BinaryMasks.Threshold, null, null, regions);
        var result = new MebinResult(Array.Empty<int>(), choice, mask);
        var cropMask = CropMasks.PrepareForCropping(mask, mask.Width, mask.Height, options.Extraction.Crop);
        var plan = CropBoxPlanner.Plan(cropMask, options.Extraction.ForcedEstimate ?? regions, options.Extraction.Crop);
        return new ExtractedMap(new MapEntry(row.Image, row.Mask ?? string.Empty, manifest.Resolve(row.Image)), mask, mask.Width, mask.Height, result, cropMask, plan);
    }

    /// <summary>Predicted regions (external contours of the MEBin mask at image size) against ground-truth components.</summary>
    private static BoxErrorCounts? ScoreAgainstGroundTruth(Manifest manifest, ManifestRow row, ExtractedMap extracted, int width, int height)
    {
        if (row.Mask is null)
        {
            return null;
        }

        var truthMask = ImageFiles.ReadGray(manifest.Resolve(row.Mask));
        if (truthMask.Width != width || truthMask.Height != height)
        {
            throw new InvalidInputException(manifest.Resolve(row.Mask), $"mask is {truthMask.Width}x{truthMask.Height} but its image is {width}x{height}");
        }

        var predicted = CropBoxPlanner.FindRegions(
            CropMasks.PrepareForCropping(extracted.Mebin.Mask, width, height, CropOptions.Parity with { TreatAllForegroundMaskAsEmpty = false }));
        return BinarizationErrorRates.CountImage(GroundTruthBoxes.FromMask(truthMask), predicted);
    }

    private static LineRegionSummary Summarize(string line, ExtractedMapSet set, IReadOnlyList<ManifestRow> rows, ImageOutcome[] outcomes)
    {
        var normal = NormalLabels(rows);
        int defective = 0, defectiveFound = 0, normalFound = 0;
        for (var i = 0; i < rows.Count; i++)
        {
            var found = set.Maps[i].Mebin.EstimatedRegionCount > 0;
            if (rows[i].Label is { } label && !normal.Contains(label))
            {
                defective++;
                defectiveFound += found ? 1 : 0;
            }
            else if (rows[i].Label is not null)
            {
                normalFound += found ? 1 : 0;
            }
        }

        var errors = outcomes.Any(o => o.Errors is not null)
            ? outcomes.Where(o => o.Errors is not null).Aggregate(default(BoxErrorCounts), (sum, o) => sum + o.Errors!.Value)
            : (BoxErrorCounts?)null;
        var perLabel = outcomes.SelectMany(o => o.Records)
            .GroupBy(r => r.Label ?? "(unlabelled)", StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return new LineRegionSummary(
            line,
            set.Range,
            rows.Count,
            set.Maps.Count(m => m.Mebin.EstimatedRegionCount > 0),
            defective,
            defectiveFound,
            normalFound,
            set.Maps.Sum(m => m.Mebin.EstimatedRegionCount),
            outcomes.Sum(o => o.Records.Count),
            errors,
            perLabel);
    }

    /// <summary>Labels that mean "normal" in the supported layouts (MVTec good, MTD MT_Free, folders normal/ok).</summary>
    public static HashSet<string> NormalLabels(IEnumerable<ManifestRow> rows) =>
        new(rows.Select(r => r.Label).OfType<string>().Where(IsNormalLabel), StringComparer.Ordinal);

    public static bool IsNormalLabel(string label) =>
        label is "good" or "normal" or "ok" or "OK" or "MT_Free";

    /// <summary>
    /// A file-name-safe stem for an image path: readable ('/' becomes "__", odd characters '_') plus
    /// 8 hex digits of the path's SHA-256, so that a.png and a.jpg, or "x y" and "x_y", never collide.
    /// </summary>
    public static string SafeName(string imagePath)
    {
        var withoutExtension = Path.ChangeExtension(imagePath.Replace('\\', '/'), null) ?? imagePath;
        var builder = new StringBuilder(withoutExtension.Length + 9);
        foreach (var c in withoutExtension.TrimStart('/', '.'))
        {
            builder.Append(c == '/' ? "__" : char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c.ToString() : "_");
        }

        var hash = System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(imagePath));
        return builder.Append('-').Append(Convert.ToHexStringLower(hash, 0, 4)).ToString();
    }
}
