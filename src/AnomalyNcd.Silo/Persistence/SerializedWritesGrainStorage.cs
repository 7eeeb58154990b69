using Orleans;
using Orleans.Runtime;
using Orleans.Storage;

namespace AnomalyNcd.Silo.Persistence;

/// <summary>
/// Lets one grain-state write at a time reach an embedded SQLite file; reads pass straight through.
/// </summary>
/// <remarks>
/// SQLite has a single writer. When two connections write at once the loser gets SQLITE_BUSY, and
/// Microsoft.Data.Sqlite answers that by sleeping 150 ms before it retries, so under load most of an upload's time
/// was spent asleep (p95 of a 16-image batch 0.6–0.8 s at about 180 images/s). Queuing the writes in the process costs
/// a few hundred microseconds per commit instead (a WAL commit with <c>synchronous=FULL</c> is one fsync). Every write
/// still commits on its own before the grain's call returns, so an acknowledged upload stays durable.
/// </remarks>
internal sealed class SerializedWritesGrainStorage(IGrainStorage inner) : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    private readonly SemaphoreSlim writer = new(1, 1);

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(stateName, grainId, grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        OneAtATimeAsync(() => inner.WriteStateAsync(stateName, grainId, grainState));

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        OneAtATimeAsync(() => inner.ClearStateAsync(stateName, grainId, grainState));

    // The ADO.NET provider initialises itself (reads its queries) in the silo lifecycle; keep that working.
    public void Participate(ISiloLifecycle observer)
    {
        if (inner is ILifecycleParticipant<ISiloLifecycle> participant)
        {
            participant.Participate(observer);
        }
    }

    private async Task OneAtATimeAsync(Func<Task> write)
    {
        await writer.WaitAsync();
        try
        {
            await write();
        }
        finally
        {
            writer.Release();
        }
    }
}
