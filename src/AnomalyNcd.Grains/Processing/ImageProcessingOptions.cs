using AnomalyNcd.Core.Binarization;
using AnomalyNcd.Core.Cropping;
using AnomalyNcd.Core.Merging;

namespace AnomalyNcd.Grains.Processing;

/// <summary>How one streamed image is binarised, cropped and merged.</summary>
public sealed record ImageProcessingOptions
{
    public static ImageProcessingOptions Default { get; } = new();

    /// <summary>MEBin parameters; one map at a time, so no parallelism inside a request.</summary>
    public MebinSetOptions Mebin { get; init; } = MebinSetOptions.Default with { MaxDegreeOfParallelism = 1 };

    /// <summary>How the regions of a map the line's detector scored are found (a map sent with the upload takes <see cref="Mebin"/>'s rule).</summary>
    public RegionRule DetectorMapRule { get; init; } = RegionRuleDefaults.DetectorMaps;

    public CropOptions Crop { get; init; } = CropOptions.Parity;

    /// <summary>T of the area weighting when region predictions are merged (method-spec §10.2).</summary>
    public double MergeTemperature { get; init; } = RegionMergeTemperature.Default;
}
