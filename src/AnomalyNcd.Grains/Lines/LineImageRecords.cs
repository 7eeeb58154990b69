using Orleans.Storage;

namespace AnomalyNcd.Grains.Lines;

/// <summary>
/// A line's per-image records, kept in memory and stored in fixed-size chunks (state names
/// <c>line-images-0</c>, <c>line-images-1</c>, … of the line's grain id in the grain storage), so that a state
/// write costs one chunk, not the whole line. Only the line grain's turn uses it (no locking).
/// <para>
/// Stored chunks are always a run of full chunks followed by at most one partial one: dirty chunks are written in
/// ascending order and a write stops at the first failure (failed chunks stay dirty for the next write), and a
/// chunk gets its first record only once the one before is full. Loading reads chunks until the first that is not full.
/// </para>
/// </summary>
public sealed class LineImageRecords(IGrainStorage storage, GrainId grainId)
{
    /// <summary>Small enough that a write (JSON) stays cheap, large enough that activation reads few rows (a line of 100 000 images: 3 125).</summary>
    public const int ChunkSize = 32;

    private const string StatePrefix = "line-images-";

    private readonly List<GrainState<LineImageChunk>> chunks = [];

    private readonly Dictionary<string, (int Chunk, int Slot)> index = new(StringComparer.Ordinal);

    private readonly SortedSet<int> dirty = [];

    public int Count => index.Count;

    public bool HasUnwrittenChanges => dirty.Count > 0;

    /// <summary>All records, in the order the images were first recorded.</summary>
    public IEnumerable<RecordedImage> All => chunks.SelectMany(c => c.State!.Images);

    public static string StateName(int chunk) => StatePrefix + chunk.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Reads the stored chunks; <paramref name="expectedCount"/> (a hint, may be stale) lets the first ones be read concurrently.</summary>
    public async Task LoadAsync(int expectedCount)
    {
        chunks.Clear();
        index.Clear();
        dirty.Clear();
        var hinted = Math.Max(1, (Math.Max(0, expectedCount) + ChunkSize - 1) / ChunkSize);
        var read = await Task.WhenAll(Enumerable.Range(0, hinted).Select(ReadAsync));
        foreach (var chunk in read)
        {
            if (chunk.State!.Images.Count == 0)
            {
                break;
            }

            Add(chunk);
            if (chunk.State!.Images.Count < ChunkSize)
            {
                return;
            }
        }

        // The hint was short (the line state is written less often than the chunks): read on until a chunk is not full.
        while (chunks.Count == read.Length && chunks.Count > 0 && chunks[^1].State!.Images.Count == ChunkSize)
        {
            var next = await ReadAsync(chunks.Count);
            if (next.State!.Images.Count == 0)
            {
                return;
            }

            Add(next);
            read = [.. read, next];
        }
    }

    public bool TryGet(string imageId, out RecordedImage image)
    {
        if (index.TryGetValue(imageId, out var at))
        {
            image = chunks[at.Chunk].State!.Images[at.Slot];
            return true;
        }

        image = null!;
        return false;
    }

    /// <summary>Replaces the image's record, or appends it (first recorded now); marks its chunk for the next write.</summary>
    public void Put(RecordedImage image)
    {
        if (index.TryGetValue(image.ImageId, out var at))
        {
            chunks[at.Chunk].State!.Images[at.Slot] = image;
            dirty.Add(at.Chunk);
            return;
        }

        if (chunks.Count == 0 || chunks[^1].State!.Images.Count >= ChunkSize)
        {
            chunks.Add(new GrainState<LineImageChunk>(new LineImageChunk()));
        }

        var chunk = chunks.Count - 1;
        chunks[chunk].State!.Images.Add(image);
        index[image.ImageId] = (chunk, chunks[chunk].State!.Images.Count - 1);
        dirty.Add(chunk);
    }

    /// <summary>Marks the chunk of an image whose record was changed in place.</summary>
    public void Touch(string imageId)
    {
        if (index.TryGetValue(imageId, out var at))
        {
            dirty.Add(at.Chunk);
        }
    }

    /// <summary>All records, newest (last first recorded) first.</summary>
    public IEnumerable<RecordedImage> NewestFirst()
    {
        for (var i = Count - 1; i >= 0; i--)
        {
            yield return chunks[i / ChunkSize].State!.Images[i % ChunkSize];
        }
    }

    /// <summary>Image ids newest first, a page of them.</summary>
    public string[] PageNewestFirst(int skip, int take)
    {
        var page = new List<string>(Math.Min(take, Math.Max(0, Count - skip)));
        for (var i = Count - 1 - skip; i >= 0 && page.Count < take; i--)
        {
            page.Add(chunks[i / ChunkSize].State!.Images[i % ChunkSize].ImageId);
        }

        return [.. page];
    }

    /// <summary>Writes the changed chunks, lowest first, stopping at the first failure (which is thrown; unwritten chunks stay marked).</summary>
    public async Task WriteChangesAsync()
    {
        var pending = dirty.ToList();
        dirty.Clear();
        for (var i = 0; i < pending.Count; i++)
        {
            try
            {
                await storage.WriteStateAsync(StateName(pending[i]), grainId, chunks[pending[i]]);
            }
            catch
            {
                dirty.UnionWith(pending.Skip(i));
                throw;
            }
        }
    }

    private async Task<GrainState<LineImageChunk>> ReadAsync(int chunk)
    {
        var state = new GrainState<LineImageChunk>(new LineImageChunk());
        await storage.ReadStateAsync(StateName(chunk), grainId, state);
        state.State ??= new LineImageChunk();
        return state;
    }

    private void Add(GrainState<LineImageChunk> chunk)
    {
        var number = chunks.Count;
        chunks.Add(chunk);
        for (var slot = 0; slot < chunk.State!.Images.Count; slot++)
        {
            index[chunk.State!.Images[slot].ImageId] = (number, slot);
        }
    }
}
