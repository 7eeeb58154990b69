using AnomalyNcd.Core.Binarization;
using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Cropping;
using AnomalyNcd.Core.Imaging;

namespace AnomalyNcd.Core.Extraction;

/// <summary>
/// Stage 1 of the method for one set of maps: read and validate the maps, MEBin with one range for
/// the whole set, and the anomaly-centred crop boxes of every image (method-spec §4–6).
/// </summary>
public static class RegionExtractor
{
    public static ExtractedMapSet Extract(
        IReadOnlyList<MapEntry> entries,
        string setName,
        RegionExtractionOptions? options = null,
        IProgress<ProgressUpdate>? progress = null,
        CancellationToken cancellationToken = default)
    {
        options ??= RegionExtractionOptions.Default;
        if (entries.Count == 0)
        {
            throw new InvalidInputException(setName, "no anomaly maps to binarise");
        }

        var maps = ReadAll(entries, $"read {setName}", e => ImageFiles.ReadGray(e.MapPath), progress, cancellationToken);
        var imageSizes = ReadAll(entries, $"check images {setName}", ImageSize, progress, cancellationToken, skipWithoutImage: true);

        var mebin = MebinSet.Binarize(maps, setName, options.Mebin, progress, cancellationToken);
        var extracted = new ExtractedMap[entries.Count];
        for (var i = 0; i < entries.Count; i++)
        {
            var map = maps[i];
            var (width, height) = imageSizes[i] == default ? (map.Width, map.Height) : imageSizes[i];
            if ((width, height) != (map.Width, map.Height) && !options.ResizeMapsToImage)
            {
                throw new InvalidInputException(
                    entries[i].MapPath,
                    $"map is {map.Width}x{map.Height} but its image {entries[i].ImagePath} is {width}x{height} (allow resizing to accept this)");
            }

            var result = mebin.Results[i];
            var regions = options.CoreFraction is { } fraction ? RegionCores.Keep(result.Mask, map, fraction) : result.Mask;
            var mask = CropMasks.PrepareForCropping(regions, width, height, options.Crop);
            var plan = CropBoxPlanner.Plan(mask, options.ForcedEstimate ?? result.EstimatedRegionCount, options.Crop);
            extracted[i] = new ExtractedMap(entries[i], map, map.Width, map.Height, result, mask, plan);
        }

        return new ExtractedMapSet(setName, mebin.Range, extracted);
    }

    private static (int Width, int Height) ImageSize(MapEntry entry) => ImageFiles.ReadSize(entry.ImagePath!);

    /// <summary>Reads every entry in parallel (entries without an image are skipped when asked); the first failure in entry order is thrown.</summary>
    private static T[] ReadAll<T>(
        IReadOnlyList<MapEntry> entries,
        string stage,
        Func<MapEntry, T> read,
        IProgress<ProgressUpdate>? progress,
        CancellationToken cancellationToken,
        bool skipWithoutImage = false) =>
        ParallelWork.Map(
            entries.Count,
            i => skipWithoutImage && entries[i].ImagePath is null ? default! : read(entries[i]),
            stage,
            progress,
            cancellationToken);
}
