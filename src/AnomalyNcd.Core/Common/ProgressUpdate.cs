namespace AnomalyNcd.Core.Common;

/// <summary>Progress of a long-running step: <paramref name="Done"/> of <paramref name="Total"/> items.</summary>
public readonly record struct ProgressUpdate(string Stage, int Done, int Total);
