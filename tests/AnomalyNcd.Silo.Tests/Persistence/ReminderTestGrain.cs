using Orleans;
using Orleans.Runtime;
namespace AnomalyNcd.Silo.Tests.Persistence;

public sealed class ReminderTestGrain : Grain, IReminderTestGrain, IRemindable
{
    // Due in a period: the tests read the table long before the first tick.
    public Task RegisterAsync(string name, TimeSpan period) => this.RegisterOrUpdateReminder(name, period, period);

    public async Task<bool> ExistsAsync(string name) => await this.GetReminder(name) is not null;

    public async Task UnregisterAsync(string name)
    {
        var reminder = await this.GetReminder(name)
            ?? throw new InvalidOperationException($"no reminder named {name}");
        await this.UnregisterReminder(reminder);
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;
}
