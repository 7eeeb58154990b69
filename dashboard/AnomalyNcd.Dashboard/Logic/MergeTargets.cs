using AnomalyNcd.Contracts.Lines;

namespace AnomalyNcd.Dashboard.Logic;

/// <summary>Which classes a class may be merged into: any other class of the line that is not rejected (never itself).</summary>
public static class MergeTargets
{
    public static IReadOnlyList<DefectClass> For(string sourceClassId, IEnumerable<DefectClass> lineClasses) =>
        GalleryOrdering.Order(lineClasses.Where(c => c.ClassId != sourceClassId && c.Status != ClassStatus.Rejected));
}
