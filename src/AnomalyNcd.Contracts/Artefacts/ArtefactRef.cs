namespace AnomalyNcd.Contracts.Artefacts;

/// <summary>
/// A file in the content-addressed artefact store (images, maps, crops, embeddings, model weights):
/// grain state holds this reference, never the bytes. <paramref name="Sha256"/> is lowercase hex.
/// </summary>
[GenerateSerializer, Alias("anomalyncd.ArtefactRef")]
public sealed record ArtefactRef(string Sha256, string Kind, string Extension, long Bytes);
