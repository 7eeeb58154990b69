using System.Security.Claims;
using AnomalyNcd.Contracts.Regions;
using AnomalyNcd.Dashboard.Logic;

namespace AnomalyNcd.Dashboard.Data;

/// <summary>Role check, then each region grain's <see cref="IRegionGrain.DecideAsync"/> (the path the line grain uses for moved regions).</summary>
public sealed class GrainRegionDecisions(IGrainFactory grains) : IRegionDecisions
{
    public async Task<IReadOnlyList<RegionResult>> DecideAsync(ClaimsPrincipal user, IReadOnlyList<RegionKey> regions, string action, string? classId)
    {
        if (!DashboardRoles.CanDecide(user))
        {
            throw new UnauthorizedAccessException(
                $"{DashboardRoles.UserName(user)} may not decide on regions: that needs the {DashboardRoles.Operator} or {DashboardRoles.Admin} role");
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(action);
        var decision = new OperatorDecision(action, classId, DashboardRoles.UserName(user), DateTimeOffset.UtcNow);
        return await Task.WhenAll(regions.Select(r => grains.GetGrain<IRegionGrain>(r.GrainKey).DecideAsync(decision)));
    }
}
