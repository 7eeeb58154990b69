using AnomalyNcd.Silo.Persistence;
using Orleans;
using Orleans.Runtime;
using Orleans.Storage;

namespace AnomalyNcd.Silo.Tests.Persistence;

public sealed class SerializedWritesGrainStorageTests
{
    [Fact]
    public async Task Writes_ManyAtOnce_ReachTheStoreOneAtATime_AndAllComplete()
    {
        var inner = new GatedStorage();
        var storage = new SerializedWritesGrainStorage(inner);

        var writes = Enumerable.Range(0, 12)
            .Select(i => i % 3 == 0
                ? storage.ClearStateAsync("s", GrainId.Create("t", $"g{i}"), new GrainState<string>("x"))
                : storage.WriteStateAsync("s", GrainId.Create("t", $"g{i}"), new GrainState<string>("x")))
            .ToList();
        for (var released = 0; released < writes.Count; released++)
        {
            await inner.WaitForCallsAsync(released + 1);
            Assert.Equal(1, inner.InFlight);
            inner.ReleaseOne();
        }

        await Task.WhenAll(writes);
        Assert.Equal(1, inner.MostInFlight);
        Assert.Equal(12, inner.Calls);
    }

    [Fact]
    public async Task Read_WhileAWriteIsHeld_IsNotQueuedBehindIt()
    {
        var inner = new GatedStorage();
        var storage = new SerializedWritesGrainStorage(inner);
        var write = storage.WriteStateAsync("s", GrainId.Create("t", "w"), new GrainState<string>("x"));
        await inner.WaitForCallsAsync(1);

        await storage.ReadStateAsync("s", GrainId.Create("t", "r"), new GrainState<string>());

        Assert.False(write.IsCompleted);
        Assert.Equal(1, inner.Reads);
        inner.ReleaseOne();
        await write;
    }

    [Fact]
    public async Task Write_ThatFails_PassesItsErrorOn_AndTheNextWriteStillRuns()
    {
        var inner = new GatedStorage { FailNext = true };
        var storage = new SerializedWritesGrainStorage(inner);
        var failing = storage.WriteStateAsync("s", GrainId.Create("t", "a"), new GrainState<string>("x"));
        await inner.WaitForCallsAsync(1);
        inner.ReleaseOne();
        await Assert.ThrowsAsync<InconsistentStateException>(() => failing);

        var next = storage.WriteStateAsync("s", GrainId.Create("t", "b"), new GrainState<string>("y"));
        await inner.WaitForCallsAsync(2);
        inner.ReleaseOne();
        await next;

        Assert.Equal(2, inner.Calls);
    }

    /// <summary>A store whose writes wait until the test lets them finish, counting how many run at once.</summary>
    private sealed class GatedStorage : IGrainStorage
    {
        private readonly SemaphoreSlim gate = new(0);
        private readonly SemaphoreSlim called = new(0);
        private int inFlight;
        private int calls;

        public bool FailNext { get; set; }

        public int InFlight => Volatile.Read(ref inFlight);

        public int MostInFlight { get; private set; }

        public int Calls => Volatile.Read(ref calls);

        public int Reads { get; private set; }

        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            Reads++;
            return Task.CompletedTask;
        }

        public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => HoldAsync();

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => HoldAsync();

        public async Task WaitForCallsAsync(int count)
        {
            while (Calls < count)
            {
                Assert.True(await called.WaitAsync(TimeSpan.FromSeconds(30)), $"the store saw {Calls} of {count} calls");
            }
        }

        public void ReleaseOne() => gate.Release();

        private async Task HoldAsync()
        {
            var now = Interlocked.Increment(ref inFlight);
            MostInFlight = Math.Max(MostInFlight, now);
            Interlocked.Increment(ref calls);
            called.Release();
            await gate.WaitAsync();
            Interlocked.Decrement(ref inFlight);
            if (FailNext)
            {
                FailNext = false;
                throw new InconsistentStateException("versions disagree");
            }
        }
    }
}
