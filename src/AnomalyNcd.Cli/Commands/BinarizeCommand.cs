using System.CommandLine;
using AnomalyNcd.Core.Binarization;
using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Cropping;
using AnomalyNcd.Core.Extraction;
using AnomalyNcd.Core.Imaging;

namespace AnomalyNcd.Cli.Commands;

/// <summary><c>anomalyncd binarize</c>: MEBin over one folder of maps (one folder = one set) plus crop boxes.</summary>
internal static class BinarizeCommand
{
    public static Command Create(CliContext context)
    {
        var maps = new Option<DirectoryInfo>("--maps") { Description = "Folder of 8-bit anomaly maps; all maps in it form one set (one search range).", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "Output folder: masks/<name>.png and binarization.json.", Required = true };
        var images = new Option<DirectoryInfo?>("--images") { Description = "Folder of the original images, paired with maps by file stem; boxes are then computed at image size." };
        var resize = new Option<bool>("--resize-maps") { Description = "Accept maps smaller or larger than their image (mask resized with nearest neighbour)." };
        var fallback = new Option<bool>("--degenerate-fallback") { Description = "When all maps share one maximum, use the set's smallest pixel as the lower end instead of refusing." };
        var improved = new Option<bool>("--improved-crops") { Description = "Transitive box merging and boxes clamped into the image instead of the reference's behaviour." };
        var threads = new Option<int>("--threads") { Description = "Worker threads (default: all cores).", DefaultValueFactory = _ => -1 };

        var command = new Command("binarize", "Binarise one set of anomaly maps with MEBin and plan anomaly-centred crop boxes.")
        {
            maps, output, images, resize, fallback, improved, threads,
        };
        command.SetAction(async (parse, cancel) =>
        {
            var mapFolder = parse.GetValue(maps)!.FullName;
            var imageFolder = parse.GetValue(images)?.FullName;
            var entries = PairMaps(mapFolder, imageFolder, context.Error);
            var options = new RegionExtractionOptions
            {
                Mebin = MebinSetOptions.Default with
                {
                    DegenerateRange = parse.GetValue(fallback) ? DegenerateRangePolicy.UseGlobalMinimum : DegenerateRangePolicy.Refuse,
                    MaxDegreeOfParallelism = parse.GetValue(threads),
                },
                Crop = parse.GetValue(improved) ? CropOptions.Improved : CropOptions.Parity,
                ResizeMapsToImage = parse.GetValue(resize),
            };

            var set = await ProgressRunner.RunAsync(context, progress =>
                Task.Run(() => RegionExtractor.Extract(entries, mapFolder, options, progress, cancel), cancel));

            using var outFolder = new OutputFolder(parse.GetValue(output)!.FullName);
            foreach (var map in set.Maps)
            {
                ImageFiles.WritePng(outFolder.StagingPath("masks", map.Entry.Name + ".png"), map.Mebin.Mask);
            }

            BinarizationReport.From(set).Save(outFolder.StagingPath("binarization.json"));
            outFolder.Commit();

            var withRegions = set.Maps.Count(m => m.Mebin.EstimatedRegionCount > 0);
            context.Out.WriteLine($"binarised {set.Maps.Count} maps (range {set.Range.MinTh}..{set.Range.MaxTh}): " +
                $"{withRegions} with anomalies, {set.Maps.Sum(m => m.Mebin.EstimatedRegionCount)} regions, {set.Maps.Sum(m => m.Plan.Boxes.Count)} crop boxes");
            context.Out.WriteLine($"wrote {Path.Combine(outFolder.Target, "binarization.json")} and {set.Maps.Count} masks");
            return AnomalyNcdCli.ExitOk;
        });
        return command;
    }

    /// <summary>Maps of the folder, each paired by file stem with its image when an image folder is given.</summary>
    private static List<MapEntry> PairMaps(string mapFolder, string? imageFolder, TextWriter warnings)
    {
        var mapFiles = OrdinalPaths.Files(mapFolder, ImageFiles.ImageExtensions);
        if (mapFiles.Count == 0)
        {
            throw new InvalidInputException(mapFolder, "no anomaly maps (.png, .jpg, .bmp, .tif) in this folder");
        }

        var duplicate = mapFiles.GroupBy(f => Path.GetFileNameWithoutExtension(f), StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidInputException(mapFolder, $"two maps share the stem '{duplicate.Key}': {string.Join(", ", duplicate.Select(Path.GetFileName))}");
        }

        if (imageFolder is null)
        {
            return [.. mapFiles.Select(f => new MapEntry(Path.GetFileNameWithoutExtension(f), f))];
        }

        var images = OrdinalPaths.Files(imageFolder, ImageFiles.ImageExtensions)
            .GroupBy(f => Path.GetFileNameWithoutExtension(f), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var entries = new List<MapEntry>(mapFiles.Count);
        foreach (var mapFile in mapFiles)
        {
            var stem = Path.GetFileNameWithoutExtension(mapFile);
            if (!images.TryGetValue(stem, out var candidates))
            {
                throw new InvalidInputException(mapFile, $"no image with the stem '{stem}' in {imageFolder}");
            }

            if (candidates.Count > 1)
            {
                throw new InvalidInputException(mapFile, $"several images share the stem '{stem}': {string.Join(", ", candidates.Select(Path.GetFileName))}");
            }

            entries.Add(new MapEntry(stem, mapFile, candidates[0]));
            images.Remove(stem);
        }

        foreach (var unpaired in images.Values.SelectMany(v => v))
        {
            warnings.WriteLine($"warning: {unpaired}: image has no anomaly map; skipped");
        }

        return entries;
    }
}
