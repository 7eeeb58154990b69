using AnomalyNcd.Contracts.Artefacts;
using AnomalyNcd.Contracts.Regions;

namespace AnomalyNcd.Grains.Processing;

/// <summary>What binarising and cropping one image produced; pixels are in the artefact store.</summary>
/// <param name="Mask">The MEBin mask at image size (0/255 PNG).</param>
/// <param name="EstimatedRegions">MEBin's estimate; 0 = no anomaly (then <paramref name="Regions"/> is empty).</param>
public sealed record ProcessedImage(
    int Width,
    int Height,
    ArtefactRef Mask,
    int Threshold,
    int EstimatedRegions,
    IReadOnlyList<ProcessedRegion> Regions);

/// <summary>One cropped region: its box, foreground area, score (peak / 255) and stored crop and crop mask.</summary>
public sealed record ProcessedRegion(int Index, RegionBox Box, int Area, double Score, ArtefactRef Crop, ArtefactRef CropMask);
