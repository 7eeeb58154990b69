using AnomalyNcd.Contracts.Artefacts;

namespace AnomalyNcd.Grains.Artefacts;

/// <summary>
/// Content-addressed storage for everything too big for grain state. The address is the SHA-256 of the
/// bytes, so writing the same bytes twice stores one file and a reference can never point at other content.
/// </summary>
public interface IArtefactStore
{
    /// <summary>Stores the bytes (written to a temporary file, then moved into place) and returns their reference.</summary>
    Task<ArtefactRef> PutAsync(ReadOnlyMemory<byte> bytes, string kind, string extension, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores bytes derived from other artefacts (masks, crops) without forcing them to disk: they can be recomputed
    /// from the stored image and map, and skipping the flush takes an fsync per crop off the ingest path. A file that
    /// a power loss left short is rewritten by the next put of the same bytes.
    /// </summary>
    Task<ArtefactRef> PutDerivedAsync(ReadOnlyMemory<byte> bytes, string kind, string extension, CancellationToken cancellationToken = default);

    /// <summary>Stores a stream's content; the stream is read once.</summary>
    Task<ArtefactRef> PutAsync(Stream content, string kind, string extension, CancellationToken cancellationToken = default);

    Task<byte[]> ReadAllBytesAsync(ArtefactRef artefact, CancellationToken cancellationToken = default);

    bool Exists(ArtefactRef artefact);

    /// <summary>The file holding the artefact (inside the store's folder), for code that needs a path.</summary>
    string PathOf(ArtefactRef artefact);
}
