namespace AnomalyNcd.Core.Extraction;

/// <summary>One anomaly map of a set, with the image it belongs to when known.</summary>
/// <param name="Name">Identity in outputs: the map's file name without extension, or the manifest's image value.</param>
public sealed record MapEntry(string Name, string MapPath, string? ImagePath = null);
