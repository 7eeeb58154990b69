using System.Security.Claims;
using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Dashboard.Logic;

namespace AnomalyNcd.Dashboard.Data;

/// <summary>A line's active alarms and the rules behind them: every role reads, only an admin changes the rules.</summary>
public interface ILineAlarms
{
    Task<ActiveAlarm[]> GetAlarmsAsync(string lineId);

    Task<AlarmRule[]> GetRulesAsync(string lineId);

    /// <summary>Replaces the line's rules (audited under the admin's name); refuses anyone but an admin.</summary>
    /// <exception cref="UnauthorizedAccessException">The user is not an admin.</exception>
    Task<AlarmRule[]> SetRulesAsync(ClaimsPrincipal user, string lineId, AlarmRule[] rules);
}

/// <summary>The alarms as the line grain evaluates them; the role is checked here and the rules again by the grain.</summary>
public sealed class GrainLineAlarms(IGrainFactory grains) : ILineAlarms
{
    public Task<ActiveAlarm[]> GetAlarmsAsync(string lineId) => grains.GetGrain<IProductLineGrain>(lineId).GetAlarmsAsync();

    public Task<AlarmRule[]> GetRulesAsync(string lineId) => grains.GetGrain<IProductLineGrain>(lineId).GetAlarmRulesAsync();

    public Task<AlarmRule[]> SetRulesAsync(ClaimsPrincipal user, string lineId, AlarmRule[] rules)
    {
        if (!DashboardRoles.CanSetAlarms(user))
        {
            throw new UnauthorizedAccessException($"{DashboardRoles.UserName(user)} may not change alarm rules: that needs the {DashboardRoles.Admin} role");
        }

        return grains.GetGrain<IProductLineGrain>(lineId).SetAlarmRulesAsync(rules, DashboardRoles.UserName(user));
    }
}
