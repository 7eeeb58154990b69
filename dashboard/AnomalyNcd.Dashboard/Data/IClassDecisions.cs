using System.Security.Claims;
using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Contracts.Regions;
using AnomalyNcd.Contracts.Training;

namespace AnomalyNcd.Dashboard.Data;

/// <summary>
/// The operator's changes to a line's class catalogue. Each call checks the caller's role on the server
/// (a hidden button is not protection) and records the caller's name with the decision.
/// </summary>
public interface IClassDecisions
{
    Task<DefectClass> ConfirmAsync(ClaimsPrincipal user, string lineId, string classId, string name);

    Task<DefectClass> RenameAsync(ClaimsPrincipal user, string lineId, string classId, string name);

    Task<DefectClass> MergeAsync(ClaimsPrincipal user, string lineId, string sourceClassId, string targetClassId);

    /// <summary>Moves <paramref name="regions"/> of a class into a new class named <paramref name="newName"/>; returns the new class.</summary>
    Task<DefectClass> SplitAsync(ClaimsPrincipal user, string lineId, string classId, RegionKey[] regions, string newName);

    Task<DefectClass> RejectAsync(ClaimsPrincipal user, string lineId, string classId);

    /// <summary>The explicit gate: makes <paramref name="version"/> the model that classifies new images.</summary>
    Task<ModelVersion> PromoteModelAsync(ClaimsPrincipal user, string lineId, string version);
}
