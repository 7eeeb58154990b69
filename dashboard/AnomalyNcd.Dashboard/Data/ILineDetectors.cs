using System.Security.Claims;
using AnomalyNcd.Contracts.Detection;

namespace AnomalyNcd.Dashboard.Data;

/// <summary>
/// A line's detector for the line page: its versions, the fitting job, and the two operator actions (learn, promote).
/// The actions check the role here and the grains validate again, as the class decisions do.
/// </summary>
public interface ILineDetectors
{
    Task<LineDetectors> ListAsync(string lineId);

    Task<DetectorJobStatus> GetFitAsync(string lineId);

    /// <summary>Starts fitting on the line's normal images (operator, admin).</summary>
    Task<DetectorJobStatus> LearnAsync(ClaimsPrincipal user, string lineId);

    /// <summary>Makes <paramref name="version"/> the detector that scores uploads without a map (operator, admin; audited).</summary>
    Task<DetectorVersion> PromoteAsync(ClaimsPrincipal user, string lineId, string version);
}
