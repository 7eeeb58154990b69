using AnomalyNcd.Core.Diagnostics;

namespace AnomalyNcd.Core.Discovery;

/// <summary>The time of each stage of a <see cref="DiscoveryPipeline"/> run (detector maps, regions and crops, backbone features, training, prediction).</summary>
public static class DiscoveryMetrics
{
    public static readonly StageHistogram Stages = new(AnomalyNcdMeter.Meter, "anomalyncd.discovery.stage.duration", "Time of each stage of a discovery pipeline run");
}
