using AnomalyNcd.Contracts.Lines;

namespace AnomalyNcd.Dashboard.Logic;

/// <summary>
/// The order of a line's class gallery: confirmed classes first (the operators' vocabulary), then proposed ones
/// waiting for review, rejected ones last; within each group the largest classes first, ties by name then id so
/// the order is stable between renders.
/// </summary>
public static class GalleryOrdering
{
    public static IReadOnlyList<DefectClass> Order(IEnumerable<DefectClass> classes) =>
        classes
            .OrderBy(c => StatusRank(c.Status))
            .ThenByDescending(c => c.RegionCount)
            .ThenBy(c => c.Name ?? string.Empty, StringComparer.OrdinalIgnoreCase)
            .ThenBy(c => c.ClassId, StringComparer.Ordinal)
            .ToList();

    private static int StatusRank(ClassStatus status) => status switch
    {
        ClassStatus.Confirmed => 0,
        ClassStatus.Proposed => 1,
        _ => 2,
    };
}
