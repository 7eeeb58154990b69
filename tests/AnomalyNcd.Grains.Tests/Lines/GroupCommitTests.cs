using AnomalyNcd.Core.Diagnostics;
using AnomalyNcd.Grains.Lines;
using AnomalyNcd.Grains.Processing;

namespace AnomalyNcd.Grains.Tests.Lines;

/// <summary>The line's group commit, without a cluster: changes arriving during a write share the next one.</summary>
public sealed class GroupCommitTests
{
    [Fact]
    public async Task CommitsDuringAWrite_ShareTheNextWrite_AndEachWaitsForItsOwn()
    {
        var writes = 0;
        TaskCompletionSource[] release = [new(TaskCreationOptions.RunContinuationsAsynchronously), new(TaskCreationOptions.RunContinuationsAsynchronously)];
        var commit = new GroupCommit(() => release[Interlocked.Increment(ref writes) - 1].Task);

        var first = commit.CommitAsync();
        var second = commit.CommitAsync();
        var third = commit.CommitAsync();
        Assert.Equal(1, writes);
        Assert.Same(second, third);
        Assert.False(first.IsCompleted);

        release[0].SetResult();
        await first;
        await Eventually.True(() => Volatile.Read(ref writes) == 2, TimeSpan.FromSeconds(2), "the second write to start");
        Assert.False(second.IsCompleted); // its change is stored only by the write that started after it
        release[1].SetResult();
        await Task.WhenAll(second, third);

        Assert.Equal(2, writes);
    }

    [Fact]
    public async Task AFailedWrite_FailsItsCallers_AndTheNextCommitWritesAgain()
    {
        var attempts = 0;
        var commit = new GroupCommit(() => ++attempts == 1 ? Task.FromException(new IOException("disk gone")) : Task.CompletedTask);

        var failed = await Assert.ThrowsAsync<IOException>(() => commit.CommitAsync());
        await commit.CommitAsync();

        Assert.Equal("disk gone", failed.Message);
        Assert.Equal(2, attempts);
    }

    [Fact]
    public async Task AWrite_IsTimedAsTheLinesStateWriteStage()
    {
        using var reader = new StageReader(IngestMetrics.Stages);
        var commit = new GroupCommit(() => Task.Delay(5));

        await commit.CommitAsync();

        var stage = reader[IngestMetrics.StageName(IngestStage.LineStateWrite)];
        Assert.True(stage.Calls >= 1, "the line's state write was not recorded");
        Assert.True(stage.Total >= TimeSpan.FromMilliseconds(4), $"the recorded write took {stage.Total}");
    }
}
