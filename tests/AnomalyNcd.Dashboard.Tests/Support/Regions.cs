using AnomalyNcd.Contracts.Artefacts;
using AnomalyNcd.Contracts.Images;
using AnomalyNcd.Contracts.Regions;

namespace AnomalyNcd.Dashboard.Tests.Support;

/// <summary>Builds regions and images for tests.</summary>
internal static class Regions
{
    public static RegionResult Of(string imageId, int index, string? classId, double confidence, string line = "press-7", ArtefactRef? embedding = null) =>
        new(new RegionKey(line, imageId, index), new RegionBox(0, 0, 10, 10), 100, 0.9,
            new ArtefactRef($"crop-{imageId}-{index}", "crop", "png", 10), new ArtefactRef($"mask-{imageId}-{index}", "mask", "png", 10),
            embedding, classId, confidence, classId is null ? null : "v1", null);

    public static ImageResult Image(string imageId, string? groundTruth, params RegionResult[] regions) => Image(imageId, groundTruth, Classes.At, 10, regions);

    public static ImageResult Image(string imageId, string? groundTruth, DateTimeOffset receivedAt, double milliseconds, params RegionResult[] regions)
    {
        var label = regions.FirstOrDefault(r => r.ClassId is not null) is { } first
            ? new ImageLabel(first.ClassId!, null, first.Confidence, new Dictionary<string, double> { [first.ClassId!] = first.Confidence })
            : null;
        var status = regions.Length == 0 ? ImageStatus.NoAnomaly : label is null ? ImageStatus.Binarised : ImageStatus.Classified;
        return new ImageResult("press-7", imageId, status, new ArtefactRef("img-" + imageId, "image", "png", 10), null, null, 64, 64,
            regions, label, groundTruth, receivedAt, receivedAt + TimeSpan.FromMilliseconds(milliseconds), milliseconds);
    }
}
