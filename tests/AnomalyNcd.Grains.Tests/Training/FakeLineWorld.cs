using System.Collections.Concurrent;
using AnomalyNcd.Contracts.Artefacts;
using AnomalyNcd.Contracts.Images;
using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Contracts.Regions;
using AnomalyNcd.Contracts.Training;
using AnomalyNcd.Grains.Artefacts;
using OpenCvSharp;

namespace AnomalyNcd.Grains.Tests.Training;

/// <summary>
/// What the fake line and image grains serve (one instance per test cluster, shared by its in-process
/// silos): lines with images whose regions' crops are drawn here into a temporary FileArtefactStore, a
/// class catalogue, and the models training registers. The real line and image grains live on another
/// branch; these fakes exist only in this test project.
/// </summary>
public sealed class FakeLineWorld
{
    public FakeLineWorld(IArtefactStore store) => Store = store;

    public IArtefactStore Store { get; }

    public ConcurrentDictionary<string, List<ImageResult>> Images { get; } = new();

    public ConcurrentDictionary<string, DefectClass[]> Classes { get; } = new();

    /// <summary>Per line, class ids the line has retired (merged away); a model must not mint them again.</summary>
    public ConcurrentDictionary<string, string[]> RetiredClassIds { get; } = new();

    public ConcurrentDictionary<string, ConcurrentQueue<ModelVersion>> Models { get; } = new();

    /// <summary>
    /// A line of <paramref name="imagesPerKind"/> images per defect kind ("spot": a filled disc, "scratch":
    /// a thick line), one region each; the first <paramref name="confirmedScratches"/> scratches belong to
    /// the confirmed class "cat-1" named "scratch".
    /// </summary>
    /// <param name="detectorVersion">The detector version recorded as having made every image's map (null: maps came with the uploads).</param>
    public async Task AddLineAsync(string lineId, int imagesPerKind, int confirmedScratches = 0, int seed = 1, string? detectorVersion = null)
    {
        var random = new Random(seed);
        var images = new List<ImageResult>();
        var scratches = 0;
        foreach (var kind in new[] { "spot", "scratch" })
        {
            for (var i = 0; i < imagesPerKind; i++)
            {
                var imageId = $"{kind}-{i:00}";
                var (crop, mask, area) = await DrawCropAsync(kind, random);
                var classId = kind == "scratch" && scratches++ < confirmedScratches ? "cat-1" : null;
                var region = new RegionResult(new RegionKey(lineId, imageId, 0), new RegionBox(0, 0, 48, 48), area, 0.8, crop, mask, null, classId, classId is null ? 0 : 1, null, null);
                images.Add(new ImageResult(lineId, imageId, ImageStatus.Classified, crop, null, mask, 48, 48, [region], null, kind, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, 1, detectorVersion));
            }
        }

        Images[lineId] = images;
        Classes[lineId] = confirmedScratches == 0
            ? []
            : [new DefectClass("cat-1", "scratch", ClassStatus.Confirmed, confirmedScratches, confirmedScratches, [], DateTimeOffset.UtcNow)];
        Models[lineId] = new ConcurrentQueue<ModelVersion>();
    }

    private async Task<(ArtefactRef Crop, ArtefactRef Mask, int Area)> DrawCropAsync(string kind, Random random)
    {
        using var image = new Mat(48, 48, MatType.CV_8UC3, new Scalar(120 + random.Next(20), 120, 120));
        using var mask = new Mat(48, 48, MatType.CV_8UC1, Scalar.All(0));
        if (kind == "spot")
        {
            var centre = new Point(18 + random.Next(12), 18 + random.Next(12));
            var radius = 7 + random.Next(5);
            Cv2.Circle(image, centre, radius, new Scalar(30, 30, 200), -1);
            Cv2.Circle(mask, centre, radius, Scalar.All(255), -1);
        }
        else
        {
            var from = new Point(4 + random.Next(8), 4 + random.Next(40));
            var to = new Point(36 + random.Next(8), 4 + random.Next(40));
            Cv2.Line(image, from, to, new Scalar(240, 240, 60), 4);
            Cv2.Line(mask, from, to, Scalar.All(255), 4);
        }

        using var bgr = new Mat();
        Cv2.CvtColor(image, bgr, ColorConversionCodes.RGB2BGR);
        var crop = await Store.PutAsync(bgr.ImEncode(".png"), "crop", "png");
        var maskRef = await Store.PutAsync(mask.ImEncode(".png"), "crop-mask", "png");
        return (crop, maskRef, Cv2.CountNonZero(mask));
    }
}
