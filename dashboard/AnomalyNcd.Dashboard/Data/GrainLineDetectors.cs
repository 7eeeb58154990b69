using System.Security.Claims;
using AnomalyNcd.Contracts.Detection;
using AnomalyNcd.Dashboard.Logic;

namespace AnomalyNcd.Dashboard.Data;

/// <summary>Reads the line's detector registry and fit job grains; the actions need the operator or admin role.</summary>
public sealed class GrainLineDetectors(IGrainFactory grains) : ILineDetectors
{
    public Task<LineDetectors> ListAsync(string lineId) => grains.GetGrain<ILineDetectorGrain>(lineId).ListAsync();

    public Task<DetectorJobStatus> GetFitAsync(string lineId) => grains.GetGrain<IDetectorFitGrain>(lineId).GetStatusAsync();

    public Task<DetectorJobStatus> LearnAsync(ClaimsPrincipal user, string lineId)
    {
        Require(user, "learn a detector");
        return grains.GetGrain<IDetectorFitGrain>(lineId).StartAsync(DashboardRoles.UserName(user));
    }

    public Task<DetectorVersion> PromoteAsync(ClaimsPrincipal user, string lineId, string version)
    {
        Require(user, "promote a detector");
        return grains.GetGrain<ILineDetectorGrain>(lineId).PromoteAsync(version, DashboardRoles.UserName(user));
    }

    private static void Require(ClaimsPrincipal user, string what)
    {
        if (!DashboardRoles.CanDecide(user))
        {
            throw new UnauthorizedAccessException(
                $"{DashboardRoles.UserName(user)} may not {what}: that needs the {DashboardRoles.Operator} or {DashboardRoles.Admin} role");
        }
    }
}
