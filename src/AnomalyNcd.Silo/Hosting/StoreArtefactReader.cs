using AnomalyNcd.Contracts.Artefacts;
using AnomalyNcd.Dashboard.Data;
using AnomalyNcd.Grains.Artefacts;

namespace AnomalyNcd.Silo.Hosting;

/// <summary>Gives the co-hosted dashboard the silo's artefact store (for embeddings), read only.</summary>
public sealed class StoreArtefactReader(IArtefactStore store) : IArtefactReader
{
    public bool IsAvailable => true;

    public async Task<byte[]?> ReadAsync(ArtefactRef artefact, CancellationToken cancellationToken = default) =>
        store.Exists(artefact) ? await store.ReadAllBytesAsync(artefact, cancellationToken) : null;
}
