using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Cropping;
using AnomalyNcd.Core.Imaging;

namespace AnomalyNcd.Core.Datasets.Importers;

/// <summary>
/// Pascal VOC detection data (<c>JPEGImages/&lt;stem&gt;.jpg</c> + <c>Annotations/&lt;stem&gt;.xml</c>) as a
/// labelled set: boxes become 0/255 box masks at image size, written to <c>&lt;mask folder&gt;/&lt;stem&gt;.png</c>.
/// By default only images whose boxes all share one class are kept (label = that class). With
/// <c>keepMulti</c> the others are kept too, labelled with the class of the largest total box area
/// (ties: first name in ordinal order), and their mask holds only that class's boxes so that the
/// masked regions agree with the label. Box corners are VOC's 1-based inclusive pixel indices;
/// boxes reaching outside the image are clamped, malformed or fully outside ones dropped, all reported.
/// </summary>
/// <param name="maskFolder">Where box masks go; null means <c>voc_masks</c> beside the manifest.</param>
/// <param name="keepMulti">Keep images with boxes of several classes.</param>
public sealed class VocImporter(string? maskFolder = null, bool keepMulti = false) : IDatasetImporter
{
    public const string DefaultMaskFolderName = "voc_masks";

    public string Name => "voc";

    public ImportResult Import(ImportContext context)
    {
        context.RequireRoot();
        var imageFolder = Path.Combine(context.Root, "JPEGImages");
        var annotationFolder = Path.Combine(context.Root, "Annotations");
        foreach (var folder in new[] { imageFolder, annotationFolder })
        {
            if (!Directory.Exists(folder))
            {
                throw new InvalidInputException(folder, "folder does not exist (expected the Pascal VOC layout JPEGImages/ + Annotations/)");
            }
        }

        var warnings = new List<ImportWarning>();
        var pairing = StemPairing.Pair(
            StemPairing.Scan("image", imageFolder, recursive: false),
            StemPairing.Scan("annotation", annotationFolder, recursive: false, "", ".xml"));
        foreach (var image in pairing.ImagesWithout("annotation"))
        {
            warnings.Add(new ImportWarning(ImportWarningKind.Unpaired, image, "image without an annotation file of the same stem; skipped"));
        }

        foreach (var annotation in pairing.Orphans("annotation"))
        {
            warnings.Add(new ImportWarning(ImportWarningKind.Unpaired, annotation, "annotation without an image of the same stem; skipped"));
        }

        var masks = maskFolder ?? Path.Combine(context.ManifestFolder, DefaultMaskFolderName);
        var drafts = new List<DraftRow>();
        var withPartner = pairing.Images.Where(p => p.Partners[0] is not null).ToList();
        for (var i = 0; i < withPartner.Count; i++)
        {
            context.Progress?.Report(new ProgressUpdate("writing box masks", i, withPartner.Count));
            var draft = ImportImage(withPartner[i].Image, withPartner[i].Partners[0]!, masks, warnings);
            if (draft is not null)
            {
                drafts.Add(draft);
            }
        }

        context.Progress?.Report(new ProgressUpdate("writing box masks", withPartner.Count, withPartner.Count));
        return ImportRows.Finish(context, drafts, warnings, ImportRows.FolderName(context.Root));
    }

    private DraftRow? ImportImage(string image, string annotationPath, string masks, List<ImportWarning> warnings)
    {
        VocAnnotation annotation;
        try
        {
            annotation = VocAnnotation.Load(annotationPath);
        }
        catch (InvalidInputException ex)
        {
            warnings.Add(new ImportWarning(ImportWarningKind.Skipped, annotationPath, ex.Problem + "; image skipped"));
            return null;
        }

        foreach (var problem in annotation.Problems)
        {
            warnings.Add(new ImportWarning(ImportWarningKind.BadBox, annotationPath, problem));
        }

        var (width, height) = ImageSizeReader.Read(image);
        if ((annotation.Width is { } w && w != width) || (annotation.Height is { } h && h != height))
        {
            warnings.Add(new ImportWarning(ImportWarningKind.Doubt, annotationPath,
                $"declared size {annotation.Width}x{annotation.Height} differs from the image's {width}x{height}; boxes are placed on the image"));
        }

        var boxes = new List<(string Label, PixelBox Box)>();
        foreach (var box in annotation.Boxes)
        {
            var pixels = ToPixels(box, width, height, annotationPath, warnings);
            if (pixels is { } valid)
            {
                boxes.Add((box.Label, valid));
            }
        }

        if (boxes.Count == 0)
        {
            var why = annotation.Boxes.Count == 0 && annotation.Problems.Count == 0 ? "no boxes" : "no valid boxes";
            warnings.Add(new ImportWarning(ImportWarningKind.Skipped, annotationPath, $"{why}; image skipped"));
            return null;
        }

        var areaByClass = boxes
            .GroupBy(b => b.Label, StringComparer.Ordinal)
            .Select(g => (Label: g.Key, Area: g.Sum(b => (long)b.Box.Width * b.Box.Height)))
            .OrderByDescending(c => c.Area)
            .ThenBy(c => c.Label, StringComparer.Ordinal)
            .ToList();
        if (areaByClass.Count > 1 && !keepMulti)
        {
            var names = string.Join(", ", areaByClass.Select(c => c.Label).Order(StringComparer.Ordinal));
            warnings.Add(new ImportWarning(ImportWarningKind.Skipped, annotationPath, $"boxes of {areaByClass.Count} classes ({names}); image skipped (--keep-multi keeps it)"));
            return null;
        }

        var label = areaByClass[0].Label;
        var mask = new GrayImage(width, height);
        foreach (var (_, box) in boxes.Where(b => b.Label == label))
        {
            Fill(mask, box);
        }

        var maskPath = Path.Combine(masks, Path.GetFileNameWithoutExtension(image) + ".png");
        ImageFiles.WritePng(maskPath, mask);
        return new DraftRow(image, maskPath, label, null);
    }

    /// <summary>
    /// Converts VOC's 1-based inclusive corners to a pixel box inside the image (right and bottom exclusive, as every
    /// <see cref="PixelBox"/>); null (and a warning) when unusable.
    /// </summary>
    private static PixelBox? ToPixels(VocBox box, int width, int height, string annotationPath, List<ImportWarning> warnings)
    {
        // Bounded first so that absurd values cannot overflow the integer conversion.
        static long Index(double corner) => (long)Math.Round(Math.Clamp(corner, -1e9, 1e9)) - 1;
        var (left, top, right, bottom) = (Index(box.XMin), Index(box.YMin), Index(box.XMax), Index(box.YMax));
        var corners = $"{box.Label} box ({box.XMin}, {box.YMin})-({box.XMax}, {box.YMax})";
        if (right < left || bottom < top)
        {
            warnings.Add(new ImportWarning(ImportWarningKind.BadBox, annotationPath, $"{corners} has max < min; dropped"));
            return null;
        }

        // 0-based inclusive indices, clamped to the image.
        var (firstColumn, firstRow) = ((int)Math.Max(0, left), (int)Math.Max(0, top));
        var (lastColumn, lastRow) = ((int)Math.Min(width - 1, right), (int)Math.Min(height - 1, bottom));
        if (firstColumn > lastColumn || firstRow > lastRow)
        {
            warnings.Add(new ImportWarning(ImportWarningKind.BadBox, annotationPath, $"{corners} lies outside the {width}x{height} image; dropped"));
            return null;
        }

        if (firstColumn != left || firstRow != top || lastColumn != right || lastRow != bottom)
        {
            warnings.Add(new ImportWarning(ImportWarningKind.BadBox, annotationPath, $"{corners} reaches outside the {width}x{height} image; clamped"));
        }

        return new PixelBox(firstColumn, firstRow, lastColumn + 1, lastRow + 1);
    }

    private static void Fill(GrayImage mask, PixelBox box)
    {
        for (var y = box.Up; y < box.Bottom; y++)
        {
            Array.Fill(mask.Pixels, (byte)255, (y * mask.Width) + box.Left, box.Width);
        }
    }
}
