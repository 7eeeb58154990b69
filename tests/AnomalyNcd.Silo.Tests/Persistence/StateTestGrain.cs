using Orleans;
using Orleans.Runtime;
using AnomalyNcd.Silo.Persistence;

namespace AnomalyNcd.Silo.Tests.Persistence;

public sealed class StateTestGrain([PersistentState("x", StorageNames.Default)] IPersistentState<StateTestState> state)
    : Grain, IStateTestGrain
{
    public Task WriteAsync(string text, int count)
    {
        state.State.Text = text;
        state.State.Count = count;
        return state.WriteStateAsync();
    }

    public Task<StateTestSnapshot> ReadAsync() =>
        Task.FromResult(new StateTestSnapshot(state.State.Text, state.State.Count, state.RecordExists, state.Etag));

    public Task ClearAsync() => state.ClearStateAsync();

    public Task DeactivateAsync()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }
}
