using System.Collections.Concurrent;
using System.Text.Json;
using Orleans.Storage;

namespace AnomalyNcd.Grains.Tests.Training;

/// <summary>
/// Grain storage shared by the in-process silos of one test cluster and kept outside them, so state
/// survives killing any silo (Orleans' memory storage lives in grains that die with their silo). States
/// are stored as JSON copies with an ETag, like a database would.
/// </summary>
public sealed class SharedMemoryGrainStorage : IGrainStorage
{
    private readonly ConcurrentDictionary<string, (byte[] Json, string ETag)> rows = new();

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (rows.TryGetValue(Key(stateName, grainId), out var row))
        {
            grainState.State = JsonSerializer.Deserialize<T>(row.Json)!;
            grainState.ETag = row.ETag;
            grainState.RecordExists = true;
        }

        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = Key(stateName, grainId);
        var etag = Guid.NewGuid().ToString("N");
        var json = JsonSerializer.SerializeToUtf8Bytes(grainState.State);
        lock (rows)
        {
            var stored = rows.TryGetValue(key, out var row) ? row.ETag : null;
            if (stored != grainState.ETag)
            {
                throw new InconsistentStateException($"ETag mismatch for {key}", stored, grainState.ETag);
            }

            rows[key] = (json, etag);
        }

        grainState.ETag = etag;
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        rows.TryRemove(Key(stateName, grainId), out _);
        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }

    private static string Key(string stateName, GrainId grainId) => $"{stateName}|{grainId}";
}
