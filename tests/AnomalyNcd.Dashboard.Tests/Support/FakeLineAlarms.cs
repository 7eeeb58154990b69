using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Dashboard.Data;

namespace AnomalyNcd.Dashboard.Tests.Support;

/// <summary>Alarms set per line by the test; none for any other line.</summary>
internal sealed class FakeLineAlarms : ILineAlarms
{
    public Dictionary<string, ActiveAlarm[]> Alarms { get; } = new(StringComparer.Ordinal);

    public Task<ActiveAlarm[]> GetAlarmsAsync(string lineId) => Task.FromResult(Alarms.GetValueOrDefault(lineId, []));
}
