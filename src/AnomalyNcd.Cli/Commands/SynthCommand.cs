using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Synthetic;

namespace AnomalyNcd.Cli.Commands;

/// <summary><c>anomalyncd synth</c>: writes a synthetic multi-line data set with masks and detector maps.</summary>
internal static class SynthCommand
{
    public static Command Create(CliContext context)
    {
        var defaults = new SyntheticOptions();
        var lines = new Option<int>("--lines") { Description = "Number of product lines (line-a, line-b, ...).", DefaultValueFactory = _ => defaults.Lines };
        var images = new Option<int>("--images") { Description = "Images per line.", DefaultValueFactory = _ => defaults.ImagesPerLine };
        var output = new Option<string>("--out") { Description = "Output folder (new or empty); receives manifest.csv and one folder per line.", Required = true };
        var seed = new Option<int>("--seed") { Description = "Random seed; the same seed gives the same files byte for byte.", DefaultValueFactory = _ => defaults.Seed };
        var size = new Option<int>("--size") { Description = "Width and height of the square images in pixels.", DefaultValueFactory = _ => defaults.Size };
        var normalFraction = new Option<double>("--normal-fraction") { Description = "Share of each line's images without defects (label good).", DefaultValueFactory = _ => defaults.NormalFraction };

        var command = new Command("synth", "Generate a synthetic multi-line data set (textured products with labelled defects, masks and simulated detector maps).");
        foreach (var option in new Option[] { lines, images, output, seed, size, normalFraction })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var options = new SyntheticOptions(
                parseResult.GetValue(lines),
                parseResult.GetValue(images),
                parseResult.GetValue(size),
                parseResult.GetValue(normalFraction),
                parseResult.GetValue(seed));
            var folder = parseResult.GetValue(output)!;
            options.Validate();
            var clock = Stopwatch.StartNew();
            var summary = await ProgressRunner.RunAsync(context, progress =>
                Task.Run(() => SyntheticDatasetWriter.Write(options, folder, progress, cancellationToken), cancellationToken));
            Report(context.Out, summary, clock.Elapsed);
            return AnomalyNcdCli.ExitOk;
        });
        return command;
    }

    private static void Report(TextWriter output, SyntheticDatasetSummary summary, TimeSpan elapsed)
    {
        var culture = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(culture, $"wrote {summary.Images.Count} images in {summary.Lines.Count} line(s) to {summary.Folder} in {elapsed.TotalSeconds:0.0} s"));
        foreach (var line in summary.Lines)
        {
            var rows = summary.Images.Where(i => i.Row.Line == line.Name).ToList();
            var labels = rows.GroupBy(i => i.Row.Label).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}");
            var twoDefects = rows.Count(i => i.Defects.Count > 1);
            output.WriteLine($"  {line.Name}: {line.Surface}, {(line.IsColor ? "RGB" : "gray")}; {string.Join(", ", labels)}; two defects {twoDefects}");
        }

        output.WriteLine($"manifest: {summary.ManifestPath}");
    }
}
