namespace AnomalyNcd.Core.Datasets.Importers;

/// <summary>A manifest row under construction: absolute paths, no line and no anomaly map yet.</summary>
internal sealed record DraftRow(string Image, string? Mask, string? Label, string? Split);
