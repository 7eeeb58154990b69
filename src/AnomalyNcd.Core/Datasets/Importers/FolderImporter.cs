using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Imaging;

namespace AnomalyNcd.Core.Datasets.Importers;

/// <summary>
/// One sub-folder per class, images directly inside: label = sub-folder name, no masks, every row
/// gets the same split (or none). Files beside the class folders and deeper folders are reported and
/// left out. The default line is the root folder's name.
/// </summary>
/// <param name="split">Split written on every row; null leaves the column empty.</param>
public sealed class FolderImporter(string? split = null) : IDatasetImporter
{
    public string Name => "folders";

    public ImportResult Import(ImportContext context)
    {
        context.RequireRoot();
        var warnings = new List<ImportWarning>();
        foreach (var stray in OrdinalPaths.Files(context.Root).Where(ImageFiles.IsImageFile))
        {
            warnings.Add(new ImportWarning(ImportWarningKind.Ignored, stray, "image outside any class folder; not imported"));
        }

        var drafts = new List<DraftRow>();
        var splitValue = string.IsNullOrWhiteSpace(split) ? null : split.Trim();
        foreach (var classFolder in OrdinalPaths.Folders(context.Root))
        {
            var label = Path.GetFileName(classFolder);
            foreach (var nested in OrdinalPaths.Folders(classFolder))
            {
                warnings.Add(new ImportWarning(ImportWarningKind.Ignored, nested, "folder inside a class folder; not imported (classes are one level deep)"));
            }

            drafts.AddRange(OrdinalPaths.Files(classFolder, ImageFiles.ImageExtensions)
                .Select(image => new DraftRow(image, null, label, splitValue)));
        }

        return ImportRows.Finish(context, drafts, warnings, ImportRows.FolderName(context.Root));
    }
}
