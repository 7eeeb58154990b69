using AnomalyNcd.Contracts.Regions;

namespace AnomalyNcd.Dashboard.Logic;

/// <summary>Relative links between the dashboard's pages (ids escaped).</summary>
public static class PageLinks
{
    public static string Line(string lineId) => $"lines/{Uri.EscapeDataString(lineId)}";

    public static string Review(string lineId) => $"{Line(lineId)}/review";

    public static string Metrics(string lineId) => $"{Line(lineId)}/metrics";

    public static string Audit(string lineId) => $"{Line(lineId)}/audit";

    public static string Class(string lineId, string classId) => $"{Line(lineId)}/classes/{Uri.EscapeDataString(classId)}";

    public static string Image(string lineId, string imageId) => $"{Line(lineId)}/images/{Uri.EscapeDataString(imageId)}";

    public static string Image(RegionKey region) => Image(region.LineId, region.ImageId);

    /// <summary>The line a base-relative path (<c>lines/{line}/…</c>) belongs to, or null for pages outside a line.</summary>
    public static string? LineOf(string relativePath)
    {
        var path = relativePath.Split('?', '#')[0];
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length >= 2 && parts[0] == "lines" ? Uri.UnescapeDataString(parts[1]) : null;
    }

    public static string Similar(RegionKey region) => $"{Image(region)}/regions/{region.Index}/similar";
}
