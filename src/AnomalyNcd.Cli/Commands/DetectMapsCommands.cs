using System.CommandLine;
using System.Globalization;
using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Datasets;
using AnomalyNcd.Core.Detection;
using AnomalyNcd.Core.Extraction;
using AnomalyNcd.Core.Imaging;
using AnomalyNcd.Core.Maps;
using AnomalyNcd.Core.Metrics;

namespace AnomalyNcd.Cli.Commands;

/// <summary>
/// Measurements of a folder of raw maps against a manifest's labels and masks: <c>detect quality</c> (image AUROC,
/// pixel AUPRO overall and per defect label) and <c>detect oracle</c> (the best-IoU binarisation of every map, the
/// ceiling for any binarisation; written as 0/255 PNG maps that <c>discover --maps</c> reads).
/// </summary>
internal static class DetectMapsCommands
{
    public static Command CreateQuality(CliContext context)
    {
        var (manifest, maps, split) = CommonOptions();
        var detector = new Option<DirectoryInfo?>("--detector") { Description = "The detector that scored the maps: also the image AUROC of its normal-referenced scores (minus the position reference; standardised by position)." };
        var command = new Command("quality", "Map quality against the manifest: image AUROC (map maximum), pixel AUPRO@0.3 overall and per defect label (that label's images with the normal ones).") { manifest, maps, split, detector };
        command.SetAction(parse =>
        {
            var (rows, loaded, match) = Load(parse.GetValue(manifest)!.FullName, parse.GetValue(maps)!.FullName, parse.GetValue(split)!);
            var items = rows.Select(r =>
            {
                var truth = Truth(loaded, r);
                var raw = AnomalyMapFile.Read(match.MapOfImage[r.Image]);
                var map = MapResize.Nearest(raw, truth.Width, truth.Height);
                return (Row: r, Raw: raw, Values: map.Values, Mask: truth.Pixels, truth.Width, Normal: ManifestRegionExtractor.IsNormalLabel(r.Label!));
            }).ToList();
            var pixels = new PixelAuproAccumulator(items.Count);
            for (var i = 0; i < items.Count; i++)
            {
                pixels.Add(i, items[i].Values, items[i].Mask, items[i].Width, items[i].Normal ? null : items[i].Row.Label);
            }

            var c = CultureInfo.InvariantCulture;
            var auroc = Auroc.Compute([.. items.Select(i => (double)i.Values.Max())], [.. items.Select(i => !i.Normal)]);
            context.Out.WriteLine(string.Create(c, $"{items.Count} images: image AUROC {auroc:0.0000}, pixel AUPRO@0.3 {pixels.Compute() ?? double.NaN:0.0000}"));
            foreach (var label in pixels.DefectLabels)
            {
                var subset = items.Where(i => i.Normal || i.Row.Label == label).ToList();
                var aupro = pixels.ComputeFor(label) ?? double.NaN;
                var labelAuroc = Auroc.Compute([.. subset.Select(i => (double)i.Values.Max())], [.. subset.Select(i => !i.Normal)]);
                context.Out.WriteLine(string.Create(c, $"  {label,-14} {subset.Count(i => !i.Normal),4} images: AUROC {labelAuroc:0.0000}, AUPRO@0.3 {aupro:0.0000}"));
            }

            if (parse.GetValue(detector) is { } folder)
            {
                var calibration = NormalCalibration.Load(folder.FullName);
                foreach (var (name, standardized) in new[] { ("minus the position reference", false), ("standardised by position", true) })
                {
                    if (standardized && !calibration.HasSpread)
                    {
                        continue;
                    }

                    var scale = new NormalReferencedScale(calibration, new NormalReferencedScaleOptions { PositionStandardized = standardized });
                    var adjusted = items.Select(i => scale.Adjust(i.Raw).Values).ToList();
                    var referenced = Auroc.Compute([.. adjusted.Select(v => (double)v.Max())], [.. items.Select(i => !i.Normal)]);
                    context.Out.WriteLine(string.Create(c, $"  normal-referenced image AUROC ({name}): {referenced:0.0000}"));
                    if (standardized)
                    {
                        var area = Auroc.Compute([.. adjusted.Select(v => (double)TopShareScore.Of(v))], [.. items.Select(i => !i.Normal)]);
                        context.Out.WriteLine(string.Create(c, $"  normal-referenced image AUROC (standardised, mean of the top {TopShareScore.Share:P0} pixels, the area gate's score): {area:0.0000}"));
                    }
                }
            }

            return AnomalyNcdCli.ExitOk;
        });
        return command;
    }

    public static Command CreateOracle(CliContext context)
    {
        var (manifest, maps, split) = CommonOptions();
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder for the oracle maps (0/255 PNG, one per image, named by stem).", Required = true };
        var command = new Command("oracle", "Binarise every map at the threshold that best matches its ground-truth mask (IoU; empty for normal images): the ceiling for any binarisation of these maps. Needs masks.") { manifest, maps, split, output };
        command.SetAction(parse =>
        {
            var manifestPath = parse.GetValue(manifest)!.FullName;
            var (rows, loaded, match) = Load(manifestPath, parse.GetValue(maps)!.FullName, parse.GetValue(split)!);
            var stems = rows.Select(r => Path.GetFileNameWithoutExtension(r.Image)).ToList();
            if (stems.Distinct(StringComparer.Ordinal).Count() != stems.Count)
            {
                throw new InvalidInputException(manifestPath, "image stems repeat within the split; oracle maps are named by stem");
            }

            using var outFolder = new OutputFolder(parse.GetValue(output)!.FullName);
            var ious = ParallelWork.Map(rows.Count, i =>
            {
                var truth = Truth(loaded, rows[i]);
                var map = MapResize.Nearest(AnomalyMapFile.Read(match.MapOfImage[rows[i].Image]), truth.Width, truth.Height);
                var (mask, iou) = OracleBinarization.Best(map, truth);
                ImageFiles.WritePng(outFolder.StagingPath(stems[i] + ".png"), mask);
                return truth.Pixels.Any(p => p > BinaryMasks.Threshold) ? iou : double.NaN;
            }, "oracle", null, default);
            outFolder.Commit();
            var defective = ious.Where(v => !double.IsNaN(v)).ToList();
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {rows.Count} oracle maps to {outFolder.Target}; mean best IoU over {defective.Count} images with a defect mask: {defective.DefaultIfEmpty(double.NaN).Average():0.000}"));
            return AnomalyNcdCli.ExitOk;
        });
        return command;
    }

    private static (Option<FileInfo> Manifest, Option<DirectoryInfo> Maps, Option<string> Split) CommonOptions() => (
        new Option<FileInfo>("--manifest") { Description = "Manifest with labels and (for defective images) masks.", Required = true },
        new Option<DirectoryInfo>("--maps") { Description = "Folder of raw maps (e.g. MAPS/maps from 'detect score'), matched to the images by stem or relative path.", Required = true },
        new Option<string>("--split") { Description = "Rows of this split; 'all' for every row.", DefaultValueFactory = _ => "test" });

    private static (IReadOnlyList<ManifestRow> Rows, Manifest Manifest, MapMatch Match) Load(string manifestPath, string mapsFolder, string split)
    {
        var loaded = Manifest.Load(manifestPath);
        var rows = loaded.Rows.Where(r => split == "all" || r.Split == split).ToList();
        var match = MapFolderMatcher.Match(loaded, rows, mapsFolder);
        var missing = rows.FirstOrDefault(r => !match.MapOfImage.ContainsKey(r.Image));
        if (missing is not null)
        {
            throw new InvalidInputException(mapsFolder, $"no map for image '{missing.Image}' ({match.ImagesWithoutMaps.Count} of {rows.Count} images have none)");
        }

        var unlabelled = rows.FirstOrDefault(r => r.Label is null || (r.Mask is null && !ManifestRegionExtractor.IsNormalLabel(r.Label)));
        if (unlabelled is not null)
        {
            throw new InvalidInputException(manifestPath, $"image '{unlabelled.Image}' has no label or, being defective, no mask");
        }

        return (rows, loaded, match);
    }

    private static GrayImage Truth(Manifest manifest, ManifestRow row)
    {
        if (row.Mask is not null)
        {
            return ImageFiles.ReadGray(manifest.Resolve(row.Mask));
        }

        var (width, height) = ImageFiles.ReadSize(manifest.Resolve(row.Image));
        return new GrayImage(width, height);
    }
}
