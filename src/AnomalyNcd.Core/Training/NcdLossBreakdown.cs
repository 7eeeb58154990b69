using TorchSharp;
using static TorchSharp.torch;

namespace AnomalyNcd.Core.Training;

/// <summary>
/// The total AnomalyNCD loss with its components (scalar tensors), for backward, logging and
/// head selection. Per-head lists are indexed by head.
/// </summary>
public sealed record NcdLossBreakdown(
    Tensor Total,
    Tensor Contrastive,
    Tensor SupervisedContrastive,
    Tensor Classification,
    Tensor Cluster,
    IReadOnlyList<Tensor> HeadClassification,
    IReadOnlyList<Tensor> HeadDistillation,
    IReadOnlyList<Tensor> HeadMeanEntropy,
    IReadOnlyList<Tensor> HeadCluster)
{
    /// <summary>head_cluster_h as plain numbers (what §9.5 averages over the last epoch).</summary>
    public double[] HeadClusterValues() => HeadCluster.Select(loss => loss.ToDouble()).ToArray();
}
