using System.Security.Claims;
using AnomalyNcd.Contracts.Regions;
using AnomalyNcd.Dashboard.Data;

namespace AnomalyNcd.Dashboard.Tests.Support;

/// <summary>Records the region decisions a component sends; answers with the regions as the grain would store them.</summary>
internal sealed class FakeRegionDecisions : IRegionDecisions
{
    public List<string> Calls { get; } = [];

    public Task<IReadOnlyList<RegionResult>> DecideAsync(ClaimsPrincipal user, IReadOnlyList<RegionKey> regions, string action, string? classId)
    {
        Calls.Add($"{action} [{string.Join(",", regions.Select(r => $"{r.ImageId}#{r.Index}"))}] {classId ?? "-"} by {user.Identity?.Name}");
        var decision = new OperatorDecision(action, classId, user.Identity?.Name ?? "anonymous", Classes.At);
        return Task.FromResult<IReadOnlyList<RegionResult>>(regions.Select(r => Regions.Of(r.ImageId, r.Index, classId, 1) with { Decision = decision }).ToList());
    }
}
