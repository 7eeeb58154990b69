using System.Security.Claims;
using AnomalyNcd.Contracts;
using AnomalyNcd.Contracts.Detection;
using AnomalyNcd.Contracts.Lines;

namespace AnomalyNcd.Silo.Detection;

/// <summary>
/// The detector use cases behind <c>/api/lines/{line}/detector</c> and <c>…/detectors</c>: fit (a background job on an
/// accelerator silo), its status and cancel, the list of versions and the audited promotion. An unknown line is
/// refused (NotFound) before any job grain is activated; the grains' refusals travel as they are.
/// </summary>
public sealed class LineDetectorService(IGrainFactory grains)
{
    public async Task<DetectorJobStatus> StartFitAsync(string line, ClaimsPrincipal user)
    {
        await EnsureLineAsync(line);
        return await grains.GetGrain<IDetectorFitGrain>(line).StartAsync(Who(user));
    }

    public async Task<DetectorJobStatus> GetFitAsync(string line)
    {
        await EnsureLineAsync(line);
        return await grains.GetGrain<IDetectorFitGrain>(line).GetStatusAsync();
    }

    public async Task<DetectorJobStatus> CancelFitAsync(string line)
    {
        await EnsureLineAsync(line);
        return await grains.GetGrain<IDetectorFitGrain>(line).CancelAsync();
    }

    public async Task<LineDetectors> ListAsync(string line)
    {
        await EnsureLineAsync(line);
        return await grains.GetGrain<ILineDetectorGrain>(line).ListAsync();
    }

    public async Task<DetectorVersion> PromoteAsync(string line, string version, ClaimsPrincipal user)
    {
        await EnsureLineAsync(line);
        return await grains.GetGrain<ILineDetectorGrain>(line).PromoteAsync(version, Who(user));
    }

    /// <summary>The signed-in name, else the key's role (API keys carry a role, not a person).</summary>
    private static string Who(ClaimsPrincipal user) =>
        user.Identity?.Name is { Length: > 0 } name ? name
        : user.FindFirst(ClaimTypes.Role)?.Value ?? "api";

    private async Task EnsureLineAsync(string line)
    {
        if (!await grains.GetGrain<IProductLineGrain>(line).ExistsAsync())
        {
            throw RequestRejectedException.NotFound($"line '{line}' does not exist");
        }
    }
}
