namespace AnomalyNcd.Core.Datasets.Importers;

/// <summary>One Pascal VOC object: class name and box corners as written in the file (1-based, inclusive).</summary>
internal sealed record VocBox(string Label, double XMin, double YMin, double XMax, double YMax);
