using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Datasets;
using AnomalyNcd.Core.Discovery;
using AnomalyNcd.Core.Extraction;
using AnomalyNcd.Core.Synthetic;

namespace AnomalyNcd.Cli.Commands;

/// <summary>
/// <c>anomalyncd demo</c>: the main job on data it generates itself. Today: synthetic factory →
/// MEBin per line → anomaly-centred crops → region-level summary against the ground truth.
/// </summary>
internal static class DemoCommand
{
    private const string Marker = "demo.marker";

    public static Command Create(CliContext context)
    {
        var output = new Option<DirectoryInfo>("--out") { Description = "Output folder (default: ./demo-output). A previous demo's folder is replaced.", DefaultValueFactory = _ => new DirectoryInfo("demo-output") };
        var lines = new Option<int>("--lines") { Description = "Product lines to simulate.", DefaultValueFactory = _ => 3 };
        var images = new Option<int>("--images") { Description = "Images per line.", DefaultValueFactory = _ => 200 };
        var seed = new Option<int>("--seed") { Description = "Seed of the synthetic factory.", DefaultValueFactory = _ => 0 };
        var epochs = new Option<int>("--epochs") { Description = "Discovery training epochs per line (0 skips discovery).", DefaultValueFactory = _ => 20 };
        var command = new Command("demo", "Run the pipeline end to end on a generated multi-line factory and print a summary.")
        {
            output, lines, images, seed, epochs,
        };
        command.SetAction(async (parse, cancel) =>
        {
            var clock = Stopwatch.StartNew();
            var synthOptions = new SyntheticOptions(parse.GetValue(lines), parse.GetValue(images), 256, 0.3, parse.GetValue(seed));
            // Validate first: a bad option must not clear an earlier demo or create the folder.
            synthOptions.Validate();
            var trainingEpochs = parse.GetValue(epochs);
            if (trainingEpochs < 0)
            {
                throw new InvalidInputException(null, $"--epochs must be 0 or more, got {trainingEpochs}");
            }

            var folder = PrepareFolder(parse.GetValue(output)!.FullName);

            context.Out.WriteLine($"1/3 generating {synthOptions.Lines} line(s) x {synthOptions.ImagesPerLine} images into {Path.Combine(folder, "data")}");
            var data = await ProgressRunner.RunAsync(context, progress =>
                Task.Run(() => SyntheticDatasetWriter.Write(synthOptions, Path.Combine(folder, "data"), progress, cancel), cancel));

            context.Out.WriteLine("2/3 binarising the test split per line (MEBin), cropping anomaly regions");
            var manifest = Manifest.Load(data.ManifestPath);
            using var regionsFolder = new OutputFolder(Path.Combine(folder, "regions"));
            var summaries = await ProgressRunner.RunAsync(context, progress =>
                Task.Run(() => ManifestRegionExtractor.Run(manifest, data.ManifestPath, regionsFolder.Staging, new ManifestRegionOptions { Split = "test" }, progress, cancel), cancel));
            regionsFolder.Commit();

            PrintSummary(context.Out, data, summaries, folder);
            if (trainingEpochs > 0)
            {
                context.Out.WriteLine();
                context.Out.WriteLine("3/3 discovering defect classes per line (MEBin regions, ResNet18 tokens, mask-guided NCD training)");
                var discoveries = new List<(LineRecipe Line, DiscoveryResult Result)>();
                foreach (var line in data.Lines)
                {
                    var options = new DiscoveryOptions
                    {
                        Line = line.Name,
                        Source = RegionSource.AnomalyMaps,
                        NovelClasses = line.Kinds.Count + 1, // the line's defect kinds and normal
                        Training = new() { Epochs = trainingEpochs, Seed = parse.GetValue(seed) + 3407 },
                    };
                    using var discoveryFolder = new OutputFolder(Path.Combine(folder, "discovery", line.Name));
                    var result = await ProgressRunner.RunAsync(context, progress =>
                        Task.Run(() => DiscoveryPipeline.Run(data.ManifestPath, null, discoveryFolder.Staging, options, progress, cancel), cancel));
                    discoveryFolder.Commit();
                    discoveries.Add((line, result));
                }

                PrintDiscovery(context.Out, discoveries, folder);
            }

            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Done in {clock.Elapsed.TotalSeconds:0.0} s."));
            return AnomalyNcdCli.ExitOk;
        });
        return command;
    }

    /// <summary>Creates the folder, or clears it when it holds an earlier demo; refuses anything else.</summary>
    private static string PrepareFolder(string folder)
    {
        if (File.Exists(folder))
        {
            throw new InvalidInputException(folder, "output path is a file, expected a folder");
        }

        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
        {
            if (!File.Exists(Path.Combine(folder, Marker)))
            {
                throw new InvalidInputException(folder, "folder is not empty and was not written by an earlier demo; choose another --out");
            }

            Directory.Delete(folder, recursive: true);
        }

        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, Marker), "written by anomalyncd demo; the whole folder is replaced by the next demo run\n");
        return folder;
    }

    private static void PrintDiscovery(TextWriter output, IReadOnlyList<(LineRecipe Line, DiscoveryResult Result)> discoveries, string folder)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine();
        output.WriteLine("Discovered classes (test split, image level; F1 = Hungarian-matched accuracy)");
        output.WriteLine("line     classes  images  regions    NMI    ARI     F1  discovered class → true kind (images)");
        foreach (var (line, result) in discoveries)
        {
            var m = result.ImageMetrics;
            var mapping = m is null ? "" : string.Join(", ", m.Mapping.Select(a => $"{a.Cluster}→{a.MatchedClass ?? "?"} ({a.Size})"));
            output.WriteLine(string.Create(c,
                $"{line.Name,-8} {result.NovelClasses.Count,7}  {result.Images,6}  {result.Crops,7}  {m?.Nmi ?? double.NaN,5:0.000}  {m?.Ari ?? double.NaN,5:0.000}  {m?.F1 ?? double.NaN,5:0.000}  {mapping}"));
        }

        output.WriteLine($"Per line: images.csv (class per image), regions.csv (class per region), metrics.json and model/ under {Path.Combine(folder, "discovery")}");
    }

    private static void PrintSummary(TextWriter output, SyntheticDatasetSummary data, IReadOnlyList<LineRegionSummary> summaries, string folder)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine();
        output.WriteLine("Region-level summary (test split; regions found by MEBin on the simulated detector maps)");
        output.WriteLine("line     surface          images  defective found  normal flagged  regions  crops  box FNR  box FPR");
        foreach (var s in summaries)
        {
            var recipe = data.Lines.FirstOrDefault(l => l.Name == s.Line);
            var normals = s.Images - s.LabelledDefectiveImages;
            output.WriteLine(string.Create(c,
                $"{s.Line,-8} {recipe?.Surface.ToString() ?? "",-16} {s.Images,6}  {s.DefectiveImagesWithRegions,6}/{s.LabelledDefectiveImages,-8} {s.NormalImagesWithRegions,6}/{normals,-7} {s.Regions,7}  {s.Crops,5}  {Rate(s.Binarization?.FalseNegativeRate),7}  {Rate(s.Binarization?.FalsePositiveRate),7}"));
        }

        output.WriteLine();
        output.WriteLine("Crops per true defect kind (what discovery will group into classes):");
        foreach (var s in summaries)
        {
            output.WriteLine($"  {s.Line}: {string.Join(", ", s.CropsPerLabel.Select(kv => $"{kv.Key} {kv.Value}"))}");
        }

        output.WriteLine();
        output.WriteLine("How to read this: 'defective found' = defective images where MEBin found at least one region;");
        output.WriteLine("'normal flagged' = normal images where it found one (false alarms of detector + binarisation);");
        output.WriteLine("box FNR/FPR = ground-truth regions missed / predicted regions matching no ground truth (IoU > 0.1).");
        output.WriteLine(string.Create(c, $"Outputs: {Path.Combine(folder, "data", "manifest.csv")}, {Path.Combine(folder, "regions", "regions.csv")} and crops under {Path.Combine(folder, "regions", "crops")}"));
    }

    private static string Rate(double? value) => value is { } v ? v.ToString("0.000", CultureInfo.InvariantCulture) : "n/a";
}
