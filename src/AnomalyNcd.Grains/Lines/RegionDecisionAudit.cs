using System.Text.Json;
using AnomalyNcd.Contracts;
using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Contracts.Regions;

namespace AnomalyNcd.Grains.Lines;

/// <summary>
/// The rule for a review-queue decision on single regions (reject as not a defect, move to a class, keep): the regions
/// belong to the line, at most a page of them, the action is named, and a class it names exists and is not rejected.
/// The audit entry keeps the region keys (before) and the class they go to, or nothing for a rejection (after).
/// </summary>
public static class RegionDecisionAudit
{
    public const int MaxActionLength = 64;

    /// <summary>The audit's before and after texts; throws a rejection naming the problem (nothing is stored then).</summary>
    public static (string Before, string After) Describe(ProductLineState line, string lineId, RegionKey[] regions, OperatorDecision decision)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (Problem(line, lineId, regions, decision) is { } problem)
        {
            throw RequestRejectedException.Invalid(problem);
        }

        return (JsonSerializer.Serialize(regions.Select(r => r.GrainKey)), decision.ClassId ?? string.Empty);
    }

    /// <summary>
    /// Refuses (NotFound, nothing stored) when a region has no grain, before the decision is audited, so a decision is
    /// never committed and then answered with an error.
    /// </summary>
    public static async Task EnsureRegionsExistAsync(IGrainFactory grains, RegionKey[] regions)
    {
        ArgumentNullException.ThrowIfNull(grains);
        var found = await Task.WhenAll(regions.Select(r => grains.GetGrain<IRegionGrain>(r.GrainKey).GetAsync()));
        if (Array.IndexOf(found, null) is var missing and >= 0)
        {
            throw RequestRejectedException.NotFound($"region {regions[missing].GrainKey} does not exist");
        }
    }

    public static string? Problem(ProductLineState line, string lineId, RegionKey[]? regions, OperatorDecision? decision)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (regions is null || regions.Length == 0 || regions.Length > PageLimits.MaxTake)
        {
            return $"a region decision needs 1–{PageLimits.MaxTake} regions, got {regions?.Length ?? 0}";
        }

        if (regions.FirstOrDefault(r => r.LineId != lineId) is { } foreign)
        {
            return $"region {foreign.GrainKey} belongs to line {foreign.LineId}, not {lineId}";
        }

        if (decision is null || string.IsNullOrWhiteSpace(decision.Action) || decision.Action.Length > MaxActionLength)
        {
            return $"a region decision needs an action of 1–{MaxActionLength} characters";
        }

        if (decision.ClassId is { } classId && (!line.Classes.TryGetValue(classId, out var entry) || entry.Status == ClassStatus.Rejected))
        {
            return $"class {classId} is not an open class of line {lineId}";
        }

        return null;
    }
}
