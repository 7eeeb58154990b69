namespace AnomalyNcd.Contracts.Lines;

/// <summary>
/// The answer of <c>POST /api/lines/{line}/reclassify</c>: the line's images with regions were classified under
/// <paramref name="ModelVersion"/> (the promoted model). <paramref name="Considered"/> images had regions,
/// <paramref name="Classified"/> of them now carry a label from that model, <paramref name="Failed"/> could not be classified.
/// </summary>
[GenerateSerializer, Alias("anomalyncd.LineReclassification")]
public sealed record LineReclassification(string ModelVersion, int Considered, int Classified, int Failed);
