namespace AnomalyNcd.Dashboard.Logic;

/// <summary>
/// Links to the API's line export (<c>GET api/lines/{line}/export</c>), relative to the dashboard's base like
/// <see cref="PageLinks"/>. The API accepts the dashboard's sign-in cookie for reads, so any signed-in user, viewers
/// included, downloads with a plain link.
/// </summary>
public static class ExportLinks
{
    /// <summary>The formats offered, with their button labels, in button order.</summary>
    public static IReadOnlyList<(string Format, string Label)> Formats { get; } = [("csv", "CSV"), ("json", "JSON"), ("coco", "COCO")];

    public static string Export(string lineId, string format) =>
        $"api/lines/{Uri.EscapeDataString(lineId)}/export?format={Uri.EscapeDataString(format)}";
}
