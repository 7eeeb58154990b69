namespace AnomalyNcd.Grains.Lines;

/// <summary>
/// Group commit: every change is made in memory first, then awaits a write that started after it. While one write is
/// in flight, the changes that arrive join the next one, so N concurrent changes cost about two writes instead of N,
/// and each caller still returns only once its change is stored. Writes never overlap (one ETag), provided every
/// write of the owner goes through here. Used from one grain's turn only (no locking).
/// </summary>
public sealed class GroupCommit(Func<Task> writeBatch)
{
    /// <summary>Changes waiting for the next write; their callers await it.</summary>
    private TaskCompletionSource? pendingWrite;

    private bool writing;

    /// <summary>Completes once a write that started after this call has stored everything changed so far (or faults with that write's failure).</summary>
    public Task CommitAsync()
    {
        pendingWrite ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stored = pendingWrite.Task;
        if (!writing)
        {
            _ = WriteLoopAsync();
        }

        return stored;
    }

    private async Task WriteLoopAsync()
    {
        writing = true;
        try
        {
            while (pendingWrite is { } batch)
            {
                pendingWrite = null;
                try
                {
                    var stage = System.Diagnostics.Stopwatch.GetTimestamp();
                    await writeBatch();
                    Processing.IngestMetrics.Record(Processing.IngestStage.LineStateWrite, stage);
                    batch.SetResult();
                }
                catch (Exception failure)
                {
                    batch.SetException(failure);
                }
            }
        }
        finally
        {
            writing = false;
        }
    }
}
