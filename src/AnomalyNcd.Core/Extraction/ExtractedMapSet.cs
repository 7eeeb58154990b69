using AnomalyNcd.Core.Binarization;

namespace AnomalyNcd.Core.Extraction;

/// <summary>All maps of one set with the set's MEBin range.</summary>
public sealed record ExtractedMapSet(string SetName, MebinRange Range, IReadOnlyList<ExtractedMap> Maps);
