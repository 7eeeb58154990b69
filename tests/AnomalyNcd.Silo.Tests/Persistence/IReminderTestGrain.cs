using Orleans;

namespace AnomalyNcd.Silo.Tests.Persistence;

/// <summary>Registers, reads and removes reminders through the silo's reminder service.</summary>
public interface IReminderTestGrain : IGrainWithStringKey
{
    Task RegisterAsync(string name, TimeSpan period);

    /// <summary>Whether the reminder service (reading the reminder table) knows the named reminder.</summary>
    Task<bool> ExistsAsync(string name);

    Task UnregisterAsync(string name);
}
