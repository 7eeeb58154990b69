using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using AnomalyNcd.Core.Common;

namespace AnomalyNcd.Core.Datasets.Importers;

/// <summary>The parts of a Pascal VOC annotation file the importer uses: declared size and boxes.</summary>
internal sealed class VocAnnotation
{
    private VocAnnotation(int? width, int? height, IReadOnlyList<VocBox> boxes, IReadOnlyList<string> problems)
    {
        Width = width;
        Height = height;
        Boxes = boxes;
        Problems = problems;
    }

    public int? Width { get; }

    public int? Height { get; }

    /// <summary>Objects with a name and four numeric coordinates.</summary>
    public IReadOnlyList<VocBox> Boxes { get; }

    /// <summary>Objects that were dropped because they were malformed, one line each.</summary>
    public IReadOnlyList<string> Problems { get; }

    /// <summary>Reads the file; throws <see cref="InvalidInputException"/> when it is not well-formed XML.</summary>
    public static VocAnnotation Load(string path)
    {
        XDocument document;
        try
        {
            // No DTDs and no resolver: annotation files come from anywhere and must not reach out.
            var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
            using var reader = XmlReader.Create(path, settings);
            document = XDocument.Load(reader);
        }
        catch (XmlException ex)
        {
            throw new InvalidInputException(path, $"not well-formed XML ({ex.Message})", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidInputException(path, $"cannot read file ({ex.Message})", ex);
        }

        var root = document.Root!;
        var size = root.Element("size");
        var width = ParseSize(size?.Element("width")?.Value);
        var height = ParseSize(size?.Element("height")?.Value);
        var boxes = new List<VocBox>();
        var problems = new List<string>();
        var index = 0;
        foreach (var element in root.Elements("object"))
        {
            index++;
            var name = element.Element("name")?.Value.Trim();
            var box = element.Element("bndbox");
            double? Coordinate(string tag) =>
                double.TryParse(box?.Element(tag)?.Value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v : null;

            var (xmin, ymin, xmax, ymax) = (Coordinate("xmin"), Coordinate("ymin"), Coordinate("xmax"), Coordinate("ymax"));
            if (string.IsNullOrEmpty(name))
            {
                problems.Add($"object {index} has no class name; dropped");
            }
            else if (xmin is null || ymin is null || xmax is null || ymax is null)
            {
                problems.Add($"object {index} ({name}) lacks a numeric bndbox xmin/ymin/xmax/ymax; dropped");
            }
            else
            {
                boxes.Add(new VocBox(name, xmin.Value, ymin.Value, xmax.Value, ymax.Value));
            }
        }

        return new VocAnnotation(width, height, boxes, problems);
    }

    private static int? ParseSize(string? text) =>
        int.TryParse(text?.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : null;
}
