using AnomalyNcd.Core.Common;

namespace AnomalyNcd.Core.Datasets.Importers;

/// <summary>
/// One MVTec AD category folder: <c>train/&lt;class&gt;/*</c> (split train), <c>test/&lt;class&gt;/*</c>
/// (split test) and <c>ground_truth/&lt;class&gt;/&lt;stem&gt;_mask.png</c>. The normal class (<c>good</c>)
/// has no masks. Label = class folder name; the default line is the category folder's name.
/// </summary>
public sealed class MvtecImporter : IDatasetImporter
{
    public const string NormalClass = "good";
    public const string MaskSuffix = "_mask";

    public string Name => "mvtec";

    public ImportResult Import(ImportContext context)
    {
        context.RequireRoot();
        var train = Path.Combine(context.Root, "train");
        var test = Path.Combine(context.Root, "test");
        var groundTruth = Path.Combine(context.Root, "ground_truth");
        if (!Directory.Exists(train) && !Directory.Exists(test))
        {
            throw new InvalidInputException(context.Root, "not an MVTec AD category folder (neither train/ nor test/ exists)");
        }

        var warnings = new List<ImportWarning>();
        var drafts = new List<DraftRow>();
        if (Directory.Exists(train))
        {
            foreach (var classFolder in OrdinalPaths.Folders(train))
            {
                var label = Path.GetFileName(classFolder);
                drafts.AddRange(StemPairing.Scan("image", classFolder, recursive: false).Files
                    .Select(image => new DraftRow(image, null, label, "train")));
            }
        }

        if (Directory.Exists(test))
        {
            foreach (var classFolder in OrdinalPaths.Folders(test))
            {
                drafts.AddRange(ImportTestClass(classFolder, groundTruth, warnings));
            }
        }

        return ImportRows.Finish(context, drafts, warnings, ImportRows.FolderName(context.Root));
    }

    private static IEnumerable<DraftRow> ImportTestClass(string classFolder, string groundTruth, List<ImportWarning> warnings)
    {
        var label = Path.GetFileName(classFolder);
        var images = StemPairing.Scan("image", classFolder, recursive: false);
        var maskFolder = Path.Combine(groundTruth, label);
        if (!Directory.Exists(maskFolder))
        {
            if (label != NormalClass && images.Files.Count > 0)
            {
                warnings.Add(new ImportWarning(ImportWarningKind.Unpaired, maskFolder, $"no ground-truth folder; the {images.Files.Count} {label} images are imported without masks"));
            }

            return images.Files.Select(image => new DraftRow(image, null, label, "test"));
        }

        var pairing = StemPairing.Pair(images, StemPairing.Scan("mask", maskFolder, recursive: false, MaskSuffix, ".png"));
        foreach (var image in pairing.ImagesWithout("mask"))
        {
            warnings.Add(new ImportWarning(ImportWarningKind.Unpaired, image, $"no {Path.GetFileNameWithoutExtension(image)}{MaskSuffix}.png in {maskFolder}; imported without mask"));
        }

        foreach (var mask in pairing.Orphans("mask"))
        {
            warnings.Add(new ImportWarning(ImportWarningKind.Unpaired, mask, $"mask without a test image (masks are named <stem>{MaskSuffix}.png); not imported"));
        }

        return pairing.Images.Select(p => new DraftRow(p.Image, p.Partners[0], label, "test"));
    }
}
