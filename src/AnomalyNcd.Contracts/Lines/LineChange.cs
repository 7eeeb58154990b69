namespace AnomalyNcd.Contracts.Lines;

/// <summary>What changed on a line; a watcher only needs to know that it should re-read.</summary>
public enum LineChangeKind
{
    Settings,
    Image,
    Classes,
    Model,
}

/// <summary>A "line changed" notification, pushed to dashboards so open pages refresh without reload.</summary>
[GenerateSerializer, Alias("anomalyncd.LineChange")]
public sealed record LineChange(
    string LineId,
    LineChangeKind Kind,
    DateTimeOffset At);
