using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Training.Data;

namespace AnomalyNcd.Core.Discovery;

/// <summary>
/// The pipeline step before the feature pass when a base set is given: the base and novel crops' test views go once
/// through the frozen backbone, and <see cref="BaseSetRelevance"/> says whether the base set shares their feature space.
/// Costs about a quarter of the feature pass (one view of the training views + 1), for base and novel crops.
/// </summary>
internal static class BaseSetGate
{
    public static BaseSetRelevance.Measurement Measure(
        string baseRegionsCsv,
        string novelRegionsCsv,
        string manifestPath,
        DiscoveryOptions options,
        IProgress<ProgressUpdate>? progress,
        CancellationToken cancellationToken)
    {
        using var dataset = CropDatasetLoader.Load(baseRegionsCsv, novelRegionsCsv, manifestPath);
        var descriptors = FeatureBankBuilder.TestViewDescriptors(dataset, options, progress, cancellationToken);
        return BaseSetRelevance.Measure([.. dataset.LabelledIndices.Select(i => descriptors[i])], [.. dataset.UnlabelledIndices.Select(i => descriptors[i])]);
    }
}
