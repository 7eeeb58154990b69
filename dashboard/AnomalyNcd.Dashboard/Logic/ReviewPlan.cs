using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Contracts.Regions;

namespace AnomalyNcd.Dashboard.Logic;

/// <summary>
/// Turns a review action on some regions into the decisions to send. Confirming a region confirms its class (once
/// per class, under its current name or else its id); every confirmed region is then marked as kept on its region
/// grain, so it leaves the queue.
/// </summary>
public static class ReviewPlan
{
    /// <summary>The region decision action for "not a defect" (the region is treated as normal).</summary>
    public const string RejectAction = "reject-region";

    /// <summary>The region decision action for "move to this class".</summary>
    public const string AssignAction = "assign-region";

    /// <summary>The region decision action for "the model's class is right" (its class was already confirmed).</summary>
    public const string KeepAction = "keep-region";

    /// <summary>Classes to confirm (id, name) for the regions, each once, in the order first met.</summary>
    public static IReadOnlyList<(string ClassId, string Name)> ClassesToConfirm(IEnumerable<RegionResult> regions, IReadOnlyList<DefectClass> classes)
    {
        var byId = classes.ToDictionary(c => c.ClassId, StringComparer.Ordinal);
        return regions
            .Select(r => r.ClassId)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .Where(id => !byId.TryGetValue(id, out var c) || c.Status != ClassStatus.Confirmed)
            .Select(id => (id, byId.TryGetValue(id, out var c) && !string.IsNullOrWhiteSpace(c.Name) ? c.Name!.Trim() : id))
            .ToList();
    }

    /// <summary>
    /// Regions a confirm keeps in their class: every one with a class (its class is confirmed first), so they leave the
    /// queue even when the model was unsure. Unassigned regions have no class to confirm and are left out.
    /// </summary>
    public static IReadOnlyList<(RegionKey Key, string ClassId)> RegionsToKeep(IEnumerable<RegionResult> regions) =>
        regions.Where(r => r.ClassId is not null).Select(r => (r.Key, r.ClassId!)).ToList();

    /// <summary>Classes a region may be assigned to: every class but rejected ones, confirmed first, then by label.</summary>
    public static IReadOnlyList<DefectClass> AssignTargets(IReadOnlyList<DefectClass> classes) =>
        classes.Where(c => c.Status != ClassStatus.Rejected)
            .OrderBy(c => c.Status == ClassStatus.Confirmed ? 0 : 1)
            .ThenBy(c => ClassLabels.Of(c.ClassId, classes), StringComparer.OrdinalIgnoreCase)
            .ToList();
}
