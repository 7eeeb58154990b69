using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Imaging;

namespace AnomalyNcd.Core.Datasets.Importers;

/// <summary>
/// Magnetic Tile Defect: <c>MT_&lt;Class&gt;/Imgs/&lt;stem&gt;.jpg</c> with the mask <c>&lt;stem&gt;.png</c> beside it.
/// Label = class folder name; split = train for the normal images named in the DifferNet list,
/// test for all others (method-spec 4.5). MTD masks have soft edges: consumers threshold them at
/// &gt; <see cref="MaskThreshold"/>; with a binarised-mask folder the importer writes 0/255 masks itself.
/// </summary>
/// <param name="splitFile">Text file with one normal image file name per line (the training images).</param>
/// <param name="binarizedMaskFolder">When set, thresholded masks are written there as &lt;class&gt;/&lt;stem&gt;.png and used in the manifest.</param>
public sealed class MtdImporter(string splitFile, string? binarizedMaskFolder = null) : IDatasetImporter
{
    public const string NormalClass = "MT_Free";
    public const string DefaultLine = "mtd";
    public const byte MaskThreshold = BinaryMasks.Threshold;
    private const string ImageFolder = "Imgs";

    public string Name => "mtd";

    public ImportResult Import(ImportContext context)
    {
        context.RequireRoot();
        var warnings = new List<ImportWarning>();
        var classFolders = OrdinalPaths.Folders(context.Root)
            .Where(f => Path.GetFileName(f).StartsWith("MT_", StringComparison.Ordinal))
            .ToList();
        if (classFolders.Count == 0)
        {
            throw new InvalidInputException(context.Root, "no MT_<Class> folders; expected the Magnetic Tile Defect layout MT_<Class>/Imgs/<stem>.jpg");
        }

        if (!classFolders.Any(f => Path.GetFileName(f) == NormalClass))
        {
            throw new InvalidInputException(context.Root, $"no {NormalClass} folder; the split file names its normal images");
        }

        var trainNames = ReadSplitFile(splitFile, warnings);
        var drafts = new List<DraftRow>();
        var matched = new HashSet<string>(StringComparer.Ordinal);
        foreach (var classFolder in classFolders)
        {
            var label = Path.GetFileName(classFolder);
            var images = Path.Combine(classFolder, ImageFolder);
            if (!Directory.Exists(images))
            {
                throw new InvalidInputException(classFolder, $"class folder lacks the {ImageFolder} sub-folder");
            }

            var pairing = StemPairing.Pair(
                StemPairing.Scan("image", images, recursive: false, "", ".jpg", ".jpeg"),
                StemPairing.Scan("mask", images, recursive: false, "", ".png"));
            ReportUnpaired(pairing, warnings);
            foreach (var pair in pairing.Images)
            {
                var name = Path.GetFileName(pair.Image);
                var isTrain = label == NormalClass && trainNames.ContainsKey(name);
                if (isTrain)
                {
                    matched.Add(name);
                }

                drafts.Add(new DraftRow(pair.Image, pair.Partners[0], label, isTrain ? "train" : "test"));
            }
        }

        // Fail before the slow mask pass: a list that names missing files is the wrong list or the wrong root.
        var unknown = trainNames.Where(n => !matched.Contains(n.Key)).OrderBy(n => n.Value).ToList();
        if (unknown.Count > 0)
        {
            var first = unknown[0];
            var more = unknown.Count > 1 ? $" ({unknown.Count - 1} more unknown names)" : string.Empty;
            throw new InvalidInputException(splitFile, $"line {first.Value}: '{first.Key}' is not an image in {NormalClass}/{ImageFolder} under {context.Root}{more}");
        }

        drafts = CheckMasks(drafts, context.Progress, warnings);
        return ImportRows.Finish(context, drafts, warnings, DefaultLine);
    }

    /// <summary>File names (without folders) mapped to their 1-based line numbers; blank lines are skipped.</summary>
    private static Dictionary<string, int> ReadSplitFile(string path, List<ImportWarning> warnings)
    {
        var lines = InputFile.ReadAllLines(path, "split file");

        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < lines.Length; i++)
        {
            var entry = lines[i].Trim().TrimStart('\uFEFF');
            if (entry.Length == 0)
            {
                continue;
            }

            var name = Path.GetFileName(entry.Replace('\\', '/'));
            if (!names.TryAdd(name, i + 1))
            {
                warnings.Add(new ImportWarning(ImportWarningKind.Doubt, path, $"line {i + 1}: '{name}' is listed again (first on line {names[name]})"));
            }
        }

        if (names.Count == 0)
        {
            throw new InvalidInputException(path, "split file lists no images");
        }

        return names;
    }

    private static void ReportUnpaired(StemPairing.Result pairing, List<ImportWarning> warnings)
    {
        foreach (var image in pairing.ImagesWithout("mask"))
        {
            warnings.Add(new ImportWarning(ImportWarningKind.Unpaired, image, "image without a mask of the same stem; imported without mask"));
        }

        foreach (var mask in pairing.Orphans("mask"))
        {
            warnings.Add(new ImportWarning(ImportWarningKind.Unpaired, mask, "mask without an image of the same stem; not imported"));
        }
    }

    /// <summary>Reads every mask: flags empty masks of defective images and, if asked, writes 0/255 copies.</summary>
    private List<DraftRow> CheckMasks(List<DraftRow> drafts, IProgress<ProgressUpdate>? progress, List<ImportWarning> warnings)
    {
        var result = new List<DraftRow>(drafts.Count);
        for (var i = 0; i < drafts.Count; i++)
        {
            var draft = drafts[i];
            progress?.Report(new ProgressUpdate("reading masks", i, drafts.Count));
            if (draft.Mask is null)
            {
                result.Add(draft);
                continue;
            }

            var mask = ImageFiles.ReadGray(draft.Mask);
            var foreground = BinaryMasks.ThresholdInPlace(mask);
            if (foreground == 0 && draft.Label != NormalClass)
            {
                warnings.Add(new ImportWarning(ImportWarningKind.EmptyMask, draft.Mask,
                    $"mask of a {draft.Label} image has no pixel above {MaskThreshold}: the image counts as {draft.Label} but yields no defect region"));
            }
            else if (foreground > 0 && draft.Label == NormalClass)
            {
                warnings.Add(new ImportWarning(ImportWarningKind.Doubt, draft.Mask, $"mask of a normal image has {foreground} foreground pixels"));
            }

            if (binarizedMaskFolder is not null)
            {
                var target = Path.Combine(binarizedMaskFolder, draft.Label!, Path.GetFileNameWithoutExtension(draft.Mask) + ".png");
                ImageFiles.WritePng(target, mask);
                draft = draft with { Mask = target };
            }

            result.Add(draft);
        }

        progress?.Report(new ProgressUpdate("reading masks", drafts.Count, drafts.Count));
        return result;
    }
}
