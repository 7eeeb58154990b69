using AnomalyNcd.Analytics.Embeddings;
using AnomalyNcd.Contracts.Artefacts;
using AnomalyNcd.Dashboard.Data;
using AnomalyNcd.Dashboard.Logic;

namespace AnomalyNcd.Dashboard.Tests.Support;

/// <summary>Embeddings held in memory, stored as the real store would hold them (float32 little-endian).</summary>
internal sealed class FakeArtefactReader : IArtefactReader
{
    private readonly Dictionary<string, byte[]> stored = new(StringComparer.Ordinal);

    public bool IsAvailable => true;

    public ArtefactRef Add(string name, params float[] vector)
    {
        stored[name] = EmbeddingVectors.Encode(vector);
        return new ArtefactRef(name, EmbeddingVectors.Kind, EmbeddingVectors.Extension, vector.Length * sizeof(float));
    }

    public Task<byte[]?> ReadAsync(ArtefactRef artefact, CancellationToken cancellationToken = default) =>
        Task.FromResult(stored.TryGetValue(artefact.Sha256, out var bytes) ? bytes : null);
}
