using System.Security.Claims;
using AnomalyNcd.Contracts.Regions;

namespace AnomalyNcd.Dashboard.Data;

/// <summary>
/// An operator's decision on single regions (keep in a class, move to a class, reject as not a defect). The role is
/// checked on the server and the caller's name and the time are stored with the decision on each region.
/// </summary>
public interface IRegionDecisions
{
    /// <summary>Records <paramref name="action"/> with <paramref name="classId"/> (null: not a defect) on each region; returns the regions as stored.</summary>
    Task<IReadOnlyList<RegionResult>> DecideAsync(ClaimsPrincipal user, IReadOnlyList<RegionKey> regions, string action, string? classId);
}
