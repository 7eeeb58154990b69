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
        var defectsPerImage = new Option<string?>("--defects-per-image")
        {
            Description = "MIN-MAX defects on every defective image, kinds drawn independently and placed apart (e.g. 5-10, as on boards or wafers); default: one, a second on 15 %.",
        };
        var defectScale = new Option<double>("--defect-scale") { Description = "Size of the defects against their kind's standard ranges (0.4: small).", DefaultValueFactory = _ => defaults.DefectScale };

        var command = new Command("synth", "Generate a synthetic multi-line data set (textured products with labelled defects, masks and simulated detector maps).");
        foreach (var option in new Option[] { lines, images, output, seed, size, normalFraction, defectsPerImage, defectScale })
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
                parseResult.GetValue(seed))
            {
                DefectsPerImage = ParseRange(parseResult.GetValue(defectsPerImage)),
                DefectScale = parseResult.GetValue(defectScale),
            };
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

    /// <summary>"5-10" or "4" as (5, 10) or (4, 4); null when the option is absent.</summary>
    private static (int Min, int Max)? ParseRange(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var parts = text.Split('-');
        if (parts.Length is < 1 or > 2 || !parts.All(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            throw new InvalidInputException("--defects-per-image", $"must be MIN-MAX or a single count, e.g. 5-10, got '{text}'");
        }

        var min = int.Parse(parts[0], CultureInfo.InvariantCulture);
        return (min, parts.Length == 2 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : min);
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
            var defects = rows.Sum(i => i.Defects.Count);
            output.WriteLine($"  {line.Name}: {line.Surface}, {(line.IsColor ? "RGB" : "gray")}; {string.Join(", ", labels)}; several defects {twoDefects}; {defects} defects in all");
        }

        output.WriteLine($"manifest: {summary.ManifestPath}");
        output.WriteLine($"defects (kind and box of each): {summary.DefectsPath}");
    }
}
