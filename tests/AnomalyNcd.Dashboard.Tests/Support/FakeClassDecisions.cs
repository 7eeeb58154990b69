using System.Security.Claims;
using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Contracts.Regions;
using AnomalyNcd.Contracts.Training;
using AnomalyNcd.Dashboard.Data;

namespace AnomalyNcd.Dashboard.Tests.Support;

/// <summary>Records the decisions a component sends, and answers with the class as it would look afterwards.</summary>
internal sealed class FakeClassDecisions : IClassDecisions
{
    public List<string> Calls { get; } = [];

    public Task<DefectClass> ConfirmAsync(ClaimsPrincipal user, string lineId, string classId, string name) =>
        Record($"confirm {lineId}/{classId} '{name}' by {user.Identity?.Name}", classId, name);

    public Task<DefectClass> RenameAsync(ClaimsPrincipal user, string lineId, string classId, string name) =>
        Record($"rename {lineId}/{classId} '{name}' by {user.Identity?.Name}", classId, name);

    public Task<DefectClass> MergeAsync(ClaimsPrincipal user, string lineId, string sourceClassId, string targetClassId) =>
        Record($"merge {lineId}/{sourceClassId} into {targetClassId} by {user.Identity?.Name}", targetClassId, null);

    public Task<DefectClass> SplitAsync(ClaimsPrincipal user, string lineId, string classId, RegionKey[] regions, string newName) =>
        Record($"split {lineId}/{classId} [{string.Join(",", regions.Select(r => $"{r.ImageId}#{r.Index}"))}] '{newName}' by {user.Identity?.Name}", "new", newName);

    public Task<DefectClass> RejectAsync(ClaimsPrincipal user, string lineId, string classId) =>
        Record($"reject {lineId}/{classId} by {user.Identity?.Name}", classId, null);

    public Task<ModelVersion> PromoteModelAsync(ClaimsPrincipal user, string lineId, string version)
    {
        Calls.Add($"promote {lineId}/{version} by {user.Identity?.Name}");
        return Task.FromResult(Models.Of(lineId, version) with { PromotedAt = Classes.At, PromotedBy = user.Identity?.Name });
    }

    private Task<DefectClass> Record(string call, string classId, string? name)
    {
        Calls.Add(call);
        return Task.FromResult(Classes.Of(classId, ClassStatus.Confirmed, 1, name));
    }
}
