using AnomalyNcd.Contracts.Artefacts;

namespace AnomalyNcd.Dashboard.Data;

/// <summary>
/// Reads stored artefacts (embeddings) on the server side. A co-hosted silo registers one over its artefact store;
/// without one (<see cref="NoArtefactReader"/>) the pages that need artefact contents say so.
/// </summary>
public interface IArtefactReader
{
    bool IsAvailable { get; }

    /// <summary>The artefact's bytes, or null when it is not stored here.</summary>
    Task<byte[]?> ReadAsync(ArtefactRef artefact, CancellationToken cancellationToken = default);
}

/// <summary>The default when the host registers no reader (a dashboard in a separate Orleans client).</summary>
public sealed class NoArtefactReader : IArtefactReader
{
    public bool IsAvailable => false;

    public Task<byte[]?> ReadAsync(ArtefactRef artefact, CancellationToken cancellationToken = default) => Task.FromResult<byte[]?>(null);
}
