using System.Security.Claims;
using AnomalyNcd.Contracts.Artefacts;
using AnomalyNcd.Contracts.Detection;
using AnomalyNcd.Contracts.Training;
using AnomalyNcd.Dashboard.Data;
using AnomalyNcd.Dashboard.Logic;

namespace AnomalyNcd.Dashboard.Tests.Support;

/// <summary>One line's detectors held in memory: learning completes at once with the next version; actions are recorded.</summary>
internal sealed class FakeLineDetectors : ILineDetectors
{
    private readonly List<DetectorVersion> versions = [];
    private string? promoted;
    private DetectorJobStatus? fit;

    public int NormalImages { get; set; }

    public List<string> Actions { get; } = [];

    public Task<LineDetectors> ListAsync(string lineId) => Task.FromResult(new LineDetectors(lineId, [.. versions], promoted, NormalImages));

    public Task<DetectorJobStatus> GetFitAsync(string lineId) => Task.FromResult(fit ?? DetectorJobStatus.Idle(lineId));

    public Task<DetectorJobStatus> LearnAsync(ClaimsPrincipal user, string lineId)
    {
        Require(user);
        var version = $"v{versions.Count + 1}";
        versions.Add(new DetectorVersion(version, lineId, new ArtefactRef(new string('d', 64), "detector", "zip", 1), NormalImages, "floor q0.5 of 6 normal scores", DateTimeOffset.UnixEpoch, DashboardRoles.UserName(user), null, null));
        fit = new DetectorJobStatus(lineId, "job-1", TrainingState.Completed, "calibration", 1, "fitted", version, "silo", DashboardRoles.UserName(user), DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);
        Actions.Add($"learn {lineId} by {DashboardRoles.UserName(user)}");
        return Task.FromResult(fit);
    }

    public Task<DetectorVersion> PromoteAsync(ClaimsPrincipal user, string lineId, string version)
    {
        Require(user);
        var index = versions.FindIndex(v => v.Version == version);
        versions[index] = versions[index] with { PromotedAt = DateTimeOffset.UnixEpoch, PromotedBy = DashboardRoles.UserName(user) };
        promoted = version;
        Actions.Add($"promote {lineId} {version} by {DashboardRoles.UserName(user)}");
        return Task.FromResult(versions[index]);
    }

    private static void Require(ClaimsPrincipal user)
    {
        if (!DashboardRoles.CanDecide(user))
        {
            throw new UnauthorizedAccessException("operators only");
        }
    }
}
