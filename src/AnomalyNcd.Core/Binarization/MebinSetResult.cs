namespace AnomalyNcd.Core.Binarization;

/// <summary>MEBin over one set: the set's search range and one result per map, in input order.</summary>
public sealed record MebinSetResult(MebinRange Range, IReadOnlyList<MebinResult> Results);
