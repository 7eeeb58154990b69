using Orleans.Concurrency;

namespace AnomalyNcd.Contracts.Lines;

/// <summary>A dashboard process's receiver of line change batches (an Orleans observer: transient, no delivery guarantee).</summary>
[Alias("anomalyncd.ILineChangeObserver")]
public interface ILineChangeObserver : IGrainObserver
{
    [OneWay, Alias("LinesChanged")] Task LinesChangedAsync(LineChange[] changes);
}
