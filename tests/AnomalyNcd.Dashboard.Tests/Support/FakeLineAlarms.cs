using System.Security.Claims;
using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Dashboard.Data;
using AnomalyNcd.Dashboard.Logic;

namespace AnomalyNcd.Dashboard.Tests.Support;

/// <summary>Alarms and rules set per line by the test; none for any other line. Rule changes are recorded.</summary>
internal sealed class FakeLineAlarms : ILineAlarms
{
    public Dictionary<string, ActiveAlarm[]> Alarms { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, AlarmRule[]> Rules { get; } = new(StringComparer.Ordinal);

    public List<(string User, string LineId, AlarmRule[] Rules)> Changes { get; } = [];

    public Task<ActiveAlarm[]> GetAlarmsAsync(string lineId) => Task.FromResult(Alarms.GetValueOrDefault(lineId, []));

    public Task<AlarmRule[]> GetRulesAsync(string lineId) => Task.FromResult(Rules.GetValueOrDefault(lineId, []));

    public Task<AlarmRule[]> SetRulesAsync(ClaimsPrincipal user, string lineId, AlarmRule[] rules)
    {
        if (!DashboardRoles.CanSetAlarms(user))
        {
            throw new UnauthorizedAccessException("admins only");
        }

        Changes.Add((DashboardRoles.UserName(user), lineId, rules));
        Rules[lineId] = rules;
        return Task.FromResult(rules);
    }
}
