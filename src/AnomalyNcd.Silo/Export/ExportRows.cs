using AnomalyNcd.Contracts.Images;
using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Contracts.Regions;

namespace AnomalyNcd.Silo.Export;

/// <summary>One region as exported: its box (left, up, right, bottom, image pixels), area and current class.</summary>
public sealed record ExportRegion(int Index, RegionBox Box, int Area, double Score, string? ClassId, string? ClassName, double Confidence, string? Decision);

/// <summary>One image as exported (file name: its id with the stored image's extension), with its label (class id, current class name, confidence) and regions.</summary>
public sealed record ExportImage(
    string ImageId,
    string FileName,
    DateTimeOffset CapturedAt,
    ImageStatus Status,
    int Width,
    int Height,
    string? ClassId,
    string? ClassName,
    double? Confidence,
    IReadOnlyList<ExportRegion> Regions);

/// <summary>
/// The line's class catalogue at the start of an export: the current name and status of a class id. A class id that is
/// no longer in the catalogue (merged away) is resolved through the aliases the export learns from operator decisions.
/// </summary>
public sealed class ExportCatalogue
{
    private readonly Dictionary<string, DefectClass> classes;
    private readonly Dictionary<string, string> aliases = new(StringComparer.Ordinal);

    public ExportCatalogue(IEnumerable<DefectClass> classes)
    {
        this.classes = classes.ToDictionary(c => c.ClassId, StringComparer.Ordinal);
        Confirmed = [.. this.classes.Values.Where(c => c.Status == ClassStatus.Confirmed)];
    }

    /// <summary>The confirmed classes, in catalogue order: the categories of a COCO export.</summary>
    public IReadOnlyList<DefectClass> Confirmed { get; }

    /// <summary>The class a region counts for now: the operator's decision when there is one (null: rejected as normal), else its assignment.</summary>
    public static string? CurrentClass(RegionResult region) =>
        region.Decision is { } decision ? decision.ClassId : region.ClassId;

    /// <summary>Notes that <paramref name="retired"/> now counts as <paramref name="current"/> (a region was moved from one to the other).</summary>
    public void LearnAlias(string retired, string current)
    {
        if (!classes.ContainsKey(retired) && retired != current)
        {
            aliases[retired] = current;
        }
    }

    /// <summary>The catalogue id a class id stands for now (itself when it is in the catalogue or unknown).</summary>
    public string Resolve(string classId)
    {
        for (var hops = 0; hops < 16 && !classes.ContainsKey(classId) && aliases.TryGetValue(classId, out var next); hops++)
        {
            classId = next;
        }

        return classId;
    }

    public string? NameOf(string? classId) =>
        classId is not null && classes.TryGetValue(Resolve(classId), out var entry) ? entry.Name : null;

    public bool IsConfirmed(string? classId) =>
        classId is not null && classes.TryGetValue(Resolve(classId), out var entry) && entry.Status == ClassStatus.Confirmed;

    /// <summary>The exported form of an image with its regions (the regions' latest state).</summary>
    public ExportImage ToExport(ImageResult image, IReadOnlyList<RegionResult> regions)
    {
        foreach (var region in regions)
        {
            if (region.ClassId is { } assigned && CurrentClass(region) is { } current)
            {
                LearnAlias(assigned, current);
            }
        }

        var exported = regions.Select(r =>
        {
            var current = CurrentClass(r) is { } id ? Resolve(id) : null;
            return new ExportRegion(r.Key.Index, r.Box, r.Area, r.Score, current, NameOf(current), r.Confidence, r.Decision?.Action);
        }).ToArray();
        var label = image.Label is { } l ? Resolve(l.ClassId) : null;
        return new ExportImage(
            image.ImageId, $"{image.ImageId}.{image.Image.Extension}", image.ReceivedAt, image.Status, image.Width, image.Height,
            label, NameOf(label), image.Label?.Confidence, exported);
    }
}
