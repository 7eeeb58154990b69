namespace AnomalyNcd.Grains.Lines;

/// <summary>
/// Every state write of a line grain: the changed image chunks and, when it changed, the line's own state, as one
/// group-committed batch (<see cref="GroupCommit"/>). The chunks and the line are separate rows, so they are written concurrently.
/// </summary>
public sealed class LineStateWrites
{
    private readonly IPersistentState<ProductLineState> state;
    private readonly LineImageRecords records;
    private readonly GroupCommit commit;

    /// <summary>Whether the line's own state (not the image chunks) changed since its last write.</summary>
    private bool lineDirty;

    public LineStateWrites(IPersistentState<ProductLineState> state, LineImageRecords records)
    {
        this.state = state;
        this.records = records;
        commit = new GroupCommit(WriteBatchAsync);
    }

    /// <summary>Stores what changed; <paramref name="lineChanged"/> false when only image chunks changed.</summary>
    public Task PersistAsync(bool lineChanged = true)
    {
        lineDirty |= lineChanged;
        return commit.CommitAsync();
    }

    /// <summary>Makes the next write include the line's own state (a change made outside a persisting call).</summary>
    public void MarkLineChanged() => lineDirty = true;

    private async Task WriteBatchAsync()
    {
        var writes = new List<Task>(2);
        if (records.HasUnwrittenChanges)
        {
            writes.Add(records.WriteChangesAsync());
        }

        if (lineDirty)
        {
            lineDirty = false;
            state.State.ImageCount = records.Count;
            writes.Add(WriteLineAsync());
        }

        await Task.WhenAll(writes);
    }

    private async Task WriteLineAsync()
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            lineDirty = true;
            throw;
        }
    }
}
