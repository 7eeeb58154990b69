using AnomalyNcd.Contracts.Lines;

namespace AnomalyNcd.Dashboard.Data;

/// <summary>A line's active alarms (read by every role; rules are set by an admin through the API).</summary>
public interface ILineAlarms
{
    Task<ActiveAlarm[]> GetAlarmsAsync(string lineId);
}

/// <summary>The alarms as the line grain evaluates them.</summary>
public sealed class GrainLineAlarms(IGrainFactory grains) : ILineAlarms
{
    public Task<ActiveAlarm[]> GetAlarmsAsync(string lineId) => grains.GetGrain<IProductLineGrain>(lineId).GetAlarmsAsync();
}
