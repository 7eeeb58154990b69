namespace AnomalyNcd.Core.Datasets.Importers;

/// <summary>The common last step of every importer: attach anomaly maps, set the line, make paths relative.</summary>
internal static class ImportRows
{
    public static ImportResult Finish(ImportContext context, IReadOnlyList<DraftRow> drafts, List<ImportWarning> warnings, string defaultLine)
    {
        var maps = context.MapsRoot is null
            ? new Dictionary<string, string>()
            : AnomalyMapPairing.Pair(context.Root, context.MapsRoot, drafts.Select(d => d.Image).ToList(), warnings);
        var line = string.IsNullOrWhiteSpace(context.Line) ? defaultLine : context.Line.Trim();
        var rows = drafts
            .Select(d => new ManifestRow(
                context.Relative(d.Image),
                maps.TryGetValue(d.Image, out var map) ? context.Relative(map) : null,
                d.Mask is null ? null : context.Relative(d.Mask),
                d.Label,
                line,
                d.Split))
            .ToList();
        return new ImportResult(rows, warnings);
    }

    /// <summary>Name of a folder for use as a default line or label (the last component, ignoring a trailing separator).</summary>
    public static string FolderName(string folder) =>
        Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)));
}
