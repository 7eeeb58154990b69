using System.Security.Claims;
using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Contracts.Regions;
using AnomalyNcd.Dashboard.Logic;

namespace AnomalyNcd.Dashboard.Data;

/// <summary>
/// Role check, then the line grain's <see cref="IProductLineGrain.DecideRegionsAsync"/>: it checks and audits the
/// decision like a class decision and has each region grain store it.
/// </summary>
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
        var decided = await Task.WhenAll(regions.GroupBy(r => r.LineId, StringComparer.Ordinal)
            .Select(line => grains.GetGrain<IProductLineGrain>(line.Key).DecideRegionsAsync([.. line], decision)));
        return [.. decided.SelectMany(r => r)];
    }
}
