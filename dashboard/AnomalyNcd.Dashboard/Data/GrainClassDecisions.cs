using System.Security.Claims;
using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Contracts.Regions;
using AnomalyNcd.Contracts.Training;
using AnomalyNcd.Dashboard.Logic;

namespace AnomalyNcd.Dashboard.Data;

/// <summary>Role check, then the line grain (which validates names, self-merges and unknown classes again).</summary>
public sealed class GrainClassDecisions(IGrainFactory grains) : IClassDecisions
{
    public Task<DefectClass> ConfirmAsync(ClaimsPrincipal user, string lineId, string classId, string name) =>
        Line(user, lineId).ConfirmClassAsync(classId, name.Trim(), DashboardRoles.UserName(user));

    public Task<DefectClass> RenameAsync(ClaimsPrincipal user, string lineId, string classId, string name) =>
        Line(user, lineId).RenameClassAsync(classId, name.Trim(), DashboardRoles.UserName(user));

    public Task<DefectClass> MergeAsync(ClaimsPrincipal user, string lineId, string sourceClassId, string targetClassId) =>
        Line(user, lineId).MergeClassesAsync(sourceClassId, targetClassId, DashboardRoles.UserName(user));

    public Task<DefectClass> SplitAsync(ClaimsPrincipal user, string lineId, string classId, RegionKey[] regions, string newName) =>
        Line(user, lineId).SplitClassAsync(classId, regions, newName, DashboardRoles.UserName(user));

    public Task<DefectClass> RejectAsync(ClaimsPrincipal user, string lineId, string classId) =>
        Line(user, lineId).RejectClassAsync(classId, DashboardRoles.UserName(user));

    public Task<ModelVersion> PromoteModelAsync(ClaimsPrincipal user, string lineId, string version) =>
        Line(user, lineId).PromoteAsync(version, DashboardRoles.UserName(user));

    private IProductLineGrain Line(ClaimsPrincipal user, string lineId)
    {
        if (!DashboardRoles.CanDecide(user))
        {
            throw new UnauthorizedAccessException(
                $"{DashboardRoles.UserName(user)} may not change classes or promote models: that needs the {DashboardRoles.Operator} or {DashboardRoles.Admin} role");
        }

        return grains.GetGrain<IProductLineGrain>(lineId);
    }
}
