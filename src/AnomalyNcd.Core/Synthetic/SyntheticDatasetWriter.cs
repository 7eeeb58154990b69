using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Datasets;
using AnomalyNcd.Core.Imaging;

namespace AnomalyNcd.Core.Synthetic;

/// <summary>
/// Writes a synthetic multi-line data set: per line <c>images/</c>, <c>masks/</c> and <c>maps/</c>
/// PNGs and one <c>manifest.csv</c>. Everything is built in a hidden sibling folder and renamed into
/// place at the end, so an interrupted run never leaves a folder that looks complete.
/// </summary>
public static class SyntheticDatasetWriter
{
    public const string ManifestFileName = "manifest.csv";
    public const string ImagesStage = "images";
    public const string MapsStage = "maps";

    public static SyntheticDatasetSummary Write(
        SyntheticOptions options,
        string folder,
        IProgress<ProgressUpdate>? progress = null,
        CancellationToken cancellationToken = default)
    {
        options.Validate();
        var target = Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar);
        CheckTarget(target);

        var parent = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, $".{Path.GetFileName(target)}.partial-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            var total = options.Lines * options.ImagesPerLine;
            var counters = new StageCounters(progress, total);
            var recipes = new List<LineRecipe>();
            var images = new List<SyntheticImageRecord>(total);
            for (var line = 0; line < options.Lines; line++)
            {
                var generator = new SyntheticLineGenerator(options, line);
                recipes.Add(generator.Recipe);
                images.AddRange(WriteLine(generator, staging, counters, cancellationToken));
            }

            WriteDefects(staging, images);

            // The manifest comes last: its presence marks a finished data set.
            var stagedManifest = Path.Combine(staging, ManifestFileName);
            Manifest.Save(stagedManifest, images.Select(i => i.Row));

            if (Directory.Exists(target))
            {
                Directory.Delete(target); // empty, checked above
            }

            Directory.Move(staging, target);
            return new SyntheticDatasetSummary(target, Path.Combine(target, ManifestFileName), recipes, images)
            {
                DefectsPath = Path.Combine(target, DefectsFile),
            };
        }
        catch
        {
            TryDeleteFolder(staging);
            throw;
        }
    }

    private static SyntheticImageRecord[] WriteLine(SyntheticLineGenerator generator, string root, StageCounters counters, CancellationToken cancellationToken)
    {
        var line = generator.Recipe.Name;
        var count = generator.Count;
        var rawMaps = new float[count][];
        var records = new SyntheticImageRecord[count];
        var parallel = new ParallelOptions { CancellationToken = cancellationToken };
        Directory.CreateDirectory(Path.Combine(root, line, "images"));
        Directory.CreateDirectory(Path.Combine(root, line, "masks"));
        Directory.CreateDirectory(Path.Combine(root, line, "maps"));

        Parallel.For(0, count, parallel, index =>
        {
            var sample = generator.Render(index);
            var imagePath = $"{line}/images/{sample.Id}.png";
            var maskPath = $"{line}/masks/{sample.Id}.png";
            var mapPath = $"{line}/maps/{sample.Id}.png";
            using (var image = sample.ToImageMat())
            {
                ImageFiles.WritePng(Path.Combine(root, imagePath), image);
            }

            ImageFiles.WritePng(Path.Combine(root, maskPath), sample.Mask);
            rawMaps[index] = sample.RawMap;
            records[index] = new SyntheticImageRecord(
                new ManifestRow(imagePath, mapPath, maskPath, sample.Label, line, sample.Split),
                sample.Defects);
            counters.ImageDone();
        });

        // Set-level scaling as the method expects: one min and max over the whole line, so the
        // line's strongest response is 255 and maps stay comparable between images.
        var min = rawMaps.Min(Planes.Min);
        var max = rawMaps.Max(Planes.Max);
        var range = max - min;
        Parallel.For(0, count, parallel, index =>
        {
            var raw = rawMaps[index];
            var map = new GrayImage(generator.Size, generator.Size);
            for (var i = 0; i < raw.Length; i++)
            {
                map.Pixels[i] = range > 0 ? (byte)Math.Min(255.0, (raw[i] - (double)min) / range * 255.0) : (byte)0;
            }

            ImageFiles.WritePng(Path.Combine(root, records[index].Row.AnomalyMap!), map);
            counters.MapDone();
        });
        return records;
    }

    private const string DefectsFile = "defects.csv";

    /// <summary>One row per painted defect (its kind and box): the region-level truth a manifest cannot hold.</summary>
    private static void WriteDefects(string folder, IReadOnlyList<SyntheticImageRecord> images)
    {
        var text = new System.Text.StringBuilder("image,line,kind,left,top,width,height,area\n");
        foreach (var image in images)
        {
            foreach (var d in image.Defects)
            {
                text.Append(CsvTable.Join([
                    image.Row.Image, image.Row.Line ?? "", d.Kind.Name(),
                    .. new[] { d.Left, d.Top, d.Width, d.Height, d.Area }.Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ])).Append('\n');
            }
        }

        File.WriteAllText(Path.Combine(folder, DefectsFile), text.ToString());
    }

    private static void CheckTarget(string target)
    {
        if (File.Exists(target))
        {
            throw new InvalidInputException(target, "output path is a file; give a new or empty folder");
        }

        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())
        {
            throw new InvalidInputException(target, "output folder is not empty; give a new or empty folder");
        }
    }

    private static void TryDeleteFolder(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Thread-safe counting of finished images and maps, reported as two stages.</summary>
    private sealed class StageCounters(IProgress<ProgressUpdate>? progress, int total)
    {
        private int _images;
        private int _maps;

        public void ImageDone() => progress?.Report(new ProgressUpdate(ImagesStage, Interlocked.Increment(ref _images), total));

        public void MapDone() => progress?.Report(new ProgressUpdate(MapsStage, Interlocked.Increment(ref _maps), total));
    }
}
