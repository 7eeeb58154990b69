using System.CommandLine;
using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Datasets;
using AnomalyNcd.Core.Datasets.Importers;

namespace AnomalyNcd.Cli.Commands;

/// <summary>
/// <c>import mtd|mvtec|folders|voc</c>: writes a manifest from a dataset in its own layout. Warnings
/// go to stderr; the manifest is written (atomically) only when the import succeeded.
/// </summary>
internal static class ImportCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("import", "Create a manifest (CSV: image,anomaly_map,mask,label,line,split) from a dataset folder.");
        command.Subcommands.Add(CreateMtd(context));
        command.Subcommands.Add(CreateMvtec(context));
        command.Subcommands.Add(CreateFolders(context));
        command.Subcommands.Add(CreateVoc(context));
        return command;
    }

    private static Command CreateMtd(CliContext context)
    {
        var command = new Command("mtd",
            "Magnetic Tile Defect: MT_<Class>/Imgs/<stem>.jpg with mask <stem>.png. Label = class folder, split = train for the " +
            "normal images named in --split, test for all others. The mask column points at the original masks, whose edges are " +
            "soft (values between 0 and 255): consumers threshold them at >127. Use --binarize-masks to write 0/255 masks instead.");
        var common = new CommonOptions(command, "mtd");
        var split = new Option<FileInfo>("--split")
        {
            Description = "DifferNet training list (e.g. mtd/splits/differnet_train_normal.txt): one MT_Free image file name per line",
            Required = true,
        };
        var binarize = new Option<DirectoryInfo?>("--binarize-masks")
        {
            Description = "Write masks thresholded at >127 as 0/255 PNG to this folder (<class>/<stem>.png) and point the manifest at them",
        };
        command.Options.Add(split);
        command.Options.Add(binarize);
        command.SetAction((parseResult, _) => common.RunAsync(context, parseResult,
            new MtdImporter(parseResult.GetValue(split)!.FullName, parseResult.GetValue(binarize)?.FullName)));
        return command;
    }

    private static Command CreateMvtec(CliContext context)
    {
        var command = new Command("mvtec",
            "One MVTec AD category folder: train/<class>/* (split train), test/<class>/* (split test), masks " +
            "ground_truth/<class>/<stem>_mask.png (none for good). Label = class folder; default line = category folder name.");
        var common = new CommonOptions(command, "the category folder's name");
        command.SetAction((parseResult, _) => common.RunAsync(context, parseResult, new MvtecImporter()));
        return command;
    }

    private static Command CreateFolders(CliContext context)
    {
        var command = new Command("folders",
            "One sub-folder per class with the images directly inside; label = sub-folder name, no masks. Default line = root folder name.");
        var common = new CommonOptions(command, "the root folder's name");
        var split = new Option<string?>("--split") { Description = "Split written on every row (e.g. train or test); empty by default" };
        command.Options.Add(split);
        command.SetAction((parseResult, _) => common.RunAsync(context, parseResult, new FolderImporter(parseResult.GetValue(split))));
        return command;
    }

    private static Command CreateVoc(CliContext context)
    {
        var command = new Command("voc",
            "Pascal VOC detection data (JPEGImages/*.jpg + Annotations/*.xml) as a labelled set: boxes become 0/255 box masks. " +
            "By default only images whose boxes are all of one class are kept (label = that class); images with several classes, " +
            "no boxes or no partner file are reported. Box corners are read as VOC's 1-based inclusive pixel indices.");
        var common = new CommonOptions(command, "the root folder's name");
        var masksOut = new Option<DirectoryInfo?>("--masks-out")
        {
            Description = $"Folder for the box masks (<stem>.png); default {VocImporter.DefaultMaskFolderName}/ beside the manifest",
        };
        var keepMulti = new Option<bool>("--keep-multi")
        {
            Description = "Also keep images with boxes of several classes: label = class with the largest total box area, mask = that class's boxes only",
        };
        command.Options.Add(masksOut);
        command.Options.Add(keepMulti);
        command.SetAction((parseResult, _) => common.RunAsync(context, parseResult,
            new VocImporter(parseResult.GetValue(masksOut)?.FullName, parseResult.GetValue(keepMulti))));
        return command;
    }

    /// <summary>Rows per label and split as a small table, then the warning count.</summary>
    private static void WriteSummary(TextWriter output, string manifestPath, ImportResult result)
    {
        const string NoSplit = "(none)";
        var splits = result.Rows.Select(r => r.Split ?? NoSplit).Distinct().Order(StringComparer.Ordinal).ToList();
        var labels = result.Rows.Select(r => r.Label ?? "(none)").Distinct().Order(StringComparer.Ordinal).ToList();
        var labelWidth = Math.Max(5, labels.Max(l => l.Length));
        var columns = splits.Append("total").ToList();
        var widths = columns.Select(c => Math.Max(6, c.Length)).ToList();

        void Line(string first, IEnumerable<int> counts) =>
            output.WriteLine(first.PadRight(labelWidth) + string.Concat(counts.Select((n, i) => "  " + n.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(widths[i]))));

        output.WriteLine($"wrote {manifestPath}: {result.Rows.Count} rows, {result.Warnings.Count} warning(s)");
        output.WriteLine("label".PadRight(labelWidth) + string.Concat(columns.Select((c, i) => "  " + c.PadLeft(widths[i]))));
        foreach (var label in labels)
        {
            var ofLabel = result.Rows.Where(r => (r.Label ?? "(none)") == label).ToList();
            Line(label, splits.Select(s => ofLabel.Count(r => (r.Split ?? NoSplit) == s)).Append(ofLabel.Count));
        }

        Line("total", splits.Select(s => result.Rows.Count(r => (r.Split ?? NoSplit) == s)).Append(result.Rows.Count));
        output.WriteLine($"warnings: {result.Warnings.Count}");
    }

    /// <summary>Options every importer takes, and the run that they share.</summary>
    private sealed class CommonOptions
    {
        private readonly Option<DirectoryInfo> _root = new("--root") { Description = "Dataset folder", Required = true };
        private readonly Option<FileInfo> _out = new("--out") { Description = "Manifest file to write (CSV); paths in it are relative to its folder", Required = true };
        private readonly Option<string?> _line;
        private readonly Option<DirectoryInfo?> _maps = new("--maps")
        {
            Description = "Folder of anomaly maps paired by name: flat (same stem) or mirroring the dataset tree (same relative folder and stem)",
        };

        private readonly Option<bool> _strictPairing = new("--strict-pairing")
        {
            Description = "Fail (exit code 2, no manifest) when any file is unpaired instead of warning",
        };

        public CommonOptions(Command command, string defaultLine)
        {
            _line = new Option<string?>("--line") { Description = $"Product line written on every row; default {defaultLine}" };
            command.Options.Add(_root);
            command.Options.Add(_out);
            command.Options.Add(_line);
            command.Options.Add(_maps);
            command.Options.Add(_strictPairing);
        }

        public async Task<int> RunAsync(CliContext context, ParseResult parseResult, IDatasetImporter importer)
        {
            var output = parseResult.GetValue(_out)!.FullName;
            if (Directory.Exists(output))
            {
                throw new InvalidInputException(output, "--out names a folder; give the manifest file to write");
            }

            var request = new ImportContext(
                parseResult.GetValue(_root)!.FullName,
                output,
                parseResult.GetValue(_line),
                parseResult.GetValue(_maps)?.FullName);
            var result = await ProgressRunner.RunAsync(context, progress =>
                Task.Run(() => importer.Import(request with { Progress = progress })));
            foreach (var warning in result.Warnings)
            {
                context.Error.WriteLine($"warning: {warning}");
            }

            var unpaired = result.CountWarnings(ImportWarningKind.Unpaired);
            if (parseResult.GetValue(_strictPairing) && unpaired > 0)
            {
                throw new InvalidInputException(request.Root, $"{unpaired} unpaired file(s) (listed above as warnings); no manifest written");
            }

            if (result.Rows.Count == 0)
            {
                throw new InvalidInputException(request.Root, $"no images found for the {importer.Name} layout; no manifest written");
            }

            Manifest.Save(output, result.Rows);
            WriteSummary(context.Out, output, result);
            return AnomalyNcdCli.ExitOk;
        }
    }
}
