using System.Globalization;
using AnomalyNcd.Core.Binarization;
using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Cropping;

namespace AnomalyNcd.Core.Extraction;

/// <summary>Settings of MEBin plus box planning for one map set.</summary>
public sealed record RegionExtractionOptions
{
    public static RegionExtractionOptions Default { get; } = new();

    public MebinSetOptions Mebin { get; init; } = MebinSetOptions.Default;

    public CropOptions Crop { get; init; } = CropOptions.Parity;

    /// <summary>
    /// Accept maps whose size differs from their image: the mask is resized with nearest neighbour and
    /// scores with PIL-style bicubic, as the reference does. Off: such a pair is refused.
    /// </summary>
    public bool ResizeMapsToImage { get; init; }

    /// <summary>
    /// Force the region estimate used for planning crops (the reference forces 1 for the labelled base
    /// set, keeping at most the 2 largest boxes per image); null keeps MEBin's estimate.
    /// </summary>
    public int? ForcedEstimate { get; init; }

    /// <summary>
    /// Shrink each MEBin region to the pixels at or above this fraction of its own peak before planning crops
    /// (<see cref="RegionCores"/>); null keeps MEBin's regions as the reference does.
    /// </summary>
    public double? CoreFraction { get; init; }

    /// <summary>Refuses a core fraction outside (0, 1], naming the command-line option.</summary>
    public static void ValidateCoreFraction(double? fraction)
    {
        if (fraction is { } f && (double.IsNaN(f) || f <= 0 || f > 1))
        {
            throw new InvalidInputException("--region-core", string.Create(CultureInfo.InvariantCulture, $"must be in (0, 1], got {f}"));
        }
    }
}
