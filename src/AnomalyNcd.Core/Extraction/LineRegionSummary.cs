using AnomalyNcd.Core.Binarization;
using AnomalyNcd.Core.Metrics;

namespace AnomalyNcd.Core.Extraction;

/// <summary>Region-level outcome of one line (one MEBin set).</summary>
/// <param name="Binarization">Box-level FNR/FPR against the manifest's masks (paper Table 3); null without masks.</param>
public sealed record LineRegionSummary(
    string Line,
    MebinRange Range,
    int Images,
    int ImagesWithRegions,
    int LabelledDefectiveImages,
    int DefectiveImagesWithRegions,
    int NormalImagesWithRegions,
    int Regions,
    int Crops,
    BoxErrorCounts? Binarization,
    IReadOnlyDictionary<string, int> CropsPerLabel);
