using AnomalyNcd.Contracts.Artefacts;

namespace AnomalyNcd.Contracts.Training;

/// <summary>A trained discovery model: its checkpoint in the artefact store, its classes and its metrics.</summary>
[GenerateSerializer, Alias("anomalyncd.ModelVersion")]
public sealed record ModelVersion(
    string Version,
    string LineId,
    ArtefactRef Checkpoint,
    ModelClass[] Classes,
    int RegionCount,
    double? Nmi,
    double? Ari,
    double? F1,
    DateTimeOffset CreatedAt,
    DateTimeOffset? PromotedAt,
    string? PromotedBy);

/// <summary>One output class of a model: a head index mapped to the line's class id (and a name when it was a labelled base class).</summary>
[GenerateSerializer, Alias("anomalyncd.ModelClass")]
public sealed record ModelClass(int HeadIndex, string ClassId, string? Name, bool IsBase, int RegionCount);
