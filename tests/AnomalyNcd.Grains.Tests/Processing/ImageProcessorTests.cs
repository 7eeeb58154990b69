using AnomalyNcd.Contracts;
using AnomalyNcd.Contracts.Images;
using AnomalyNcd.Core.Imaging;
using AnomalyNcd.Grains.Artefacts;
using AnomalyNcd.Grains.Processing;
using AnomalyNcd.Grains.Tests.Support;

namespace AnomalyNcd.Grains.Tests.Processing;

public sealed class ImageProcessorTests : IDisposable
{
    private readonly TempFolder folder = TestData.NewTempFolder();
    private readonly FileArtefactStore store;
    private readonly ImageProcessor processor;

    public ImageProcessorTests()
    {
        store = new FileArtefactStore(folder.Path);
        processor = new ImageProcessor(store, ImageProcessingOptions.Default);
    }

    public void Dispose() => folder.Dispose();

    [Fact]
    public async Task Process_SyntheticPicture_CropsBothDefectsIntoTheStore()
    {
        var submission = await SyntheticPicture.StoreAsync(store);

        var processed = await processor.ProcessAsync("line", "img", submission, 0f, 1f);

        Assert.Equal(2, processed.EstimatedRegions);
        Assert.Equal(2, processed.Regions.Count);
        Assert.True(store.Exists(processed.Mask));
        foreach (var region in processed.Regions)
        {
            Assert.True(store.Exists(region.Crop));
            Assert.True(store.Exists(region.CropMask));
            var cropMask = ImageFiles.ReadGray(store.PathOf(region.CropMask));
            Assert.Equal(region.Area, cropMask.CountNonZero());
            Assert.InRange(region.Score, 0.75, 1.05);
        }

        // Boxes are sorted by area, descending: the large defect first, each box around its own defect.
        var (large, small) = (processed.Regions[0], processed.Regions[1]);
        Assert.True(large.Area > small.Area);
        Assert.InRange(SyntheticPicture.LargeDefect.X, large.Box.Left, large.Box.Right);
        Assert.InRange(SyntheticPicture.LargeDefect.Y, large.Box.Up, large.Box.Bottom);
        Assert.InRange(SyntheticPicture.SmallDefect.X, small.Box.Left, small.Box.Right);
        Assert.InRange(SyntheticPicture.SmallDefect.Y, small.Box.Up, small.Box.Bottom);
        var mask = ImageFiles.ReadGray(store.PathOf(processed.Mask));
        Assert.Equal((SyntheticPicture.Size, SyntheticPicture.Size), (mask.Width, mask.Height));
        Assert.Equal(processed.Regions.Sum(r => r.Area), mask.CountNonZero());
    }

    [Fact]
    public async Task Process_LineMebinFloor_StartsTheThresholdSearchThere()
    {
        var submission = await SyntheticPicture.StoreAsync(store);

        var fromZero = await processor.ProcessAsync("line", "img", submission, 0f, 1f);
        var fromFloor = await processor.ProcessAsync("line", "img", submission, 0f, 1f, mebinFloor: 150);

        // The raw threshold is min + tn·(max − min)/255, so a floor of 150 can never give less than 150.
        Assert.True(fromZero.Threshold < 150, $"threshold from 0 was {fromZero.Threshold}");
        Assert.True(fromFloor.Threshold >= 150, $"threshold from 150 was {fromFloor.Threshold}");
    }

    [Fact]
    public async Task Process_SmallerMap_IsResizedToTheImage()
    {
        var submission = await SyntheticPicture.StoreAsync(store, mapSize: SyntheticPicture.Size / 2);

        var processed = await processor.ProcessAsync("line", "img", submission, 0f, 1f);

        Assert.Equal(2, processed.Regions.Count);
        Assert.Equal((SyntheticPicture.Size, SyntheticPicture.Size), (processed.Width, processed.Height));
    }

    [Fact]
    public async Task Process_LargerMap_IsRefusedAsInvalid()
    {
        var submission = await SyntheticPicture.StoreAsync(store, mapSize: SyntheticPicture.Size * 2);

        var error = await Assert.ThrowsAsync<RequestRejectedException>(() => processor.ProcessAsync("line", "img", submission, 0f, 1f));

        Assert.Equal(RejectionKind.Invalid, error.Kind);
        Assert.Contains("256x256", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_WithoutCalibration_IsNotReady()
    {
        var submission = await SyntheticPicture.StoreAsync(store);

        var error = await Assert.ThrowsAsync<RequestRejectedException>(() => processor.ProcessAsync("line-x", "img", submission, 0f, 0f));

        Assert.Equal(RejectionKind.NotReady, error.Kind);
        Assert.Equal("line line-x has no map calibration", error.Message);
    }

    [Fact]
    public async Task Process_NormalMap_FindsNoAnomaly()
    {
        var submission = await SyntheticPicture.StoreAsync(store, withDefects: false);

        var processed = await processor.ProcessAsync("line", "img", submission, 0f, 1f);

        Assert.Equal(0, processed.EstimatedRegions);
        Assert.Empty(processed.Regions);
        Assert.True(store.Exists(processed.Mask));
    }

    [Fact]
    public async Task Process_ImageNotAnImage_IsRefusedAsInvalid()
    {
        var submission = await SyntheticPicture.StoreAsync(store);
        var text = await store.PutAsync("not a picture"u8.ToArray(), "image", "png");

        var error = await Assert.ThrowsAsync<RequestRejectedException>(() => processor.ProcessAsync("line", "img", submission with { Image = text }, 0f, 1f));

        Assert.Equal(RejectionKind.Invalid, error.Kind);
    }

    [Fact]
    public async Task Process_DeclaredSizeDiffers_IsRefusedAsInvalid()
    {
        var submission = await SyntheticPicture.StoreAsync(store);

        var error = await Assert.ThrowsAsync<RequestRejectedException>(() => processor.ProcessAsync("line", "img", submission with { Width = 100 }, 0f, 1f));

        Assert.Equal(RejectionKind.Invalid, error.Kind);
    }

    [Fact]
    public async Task Process_PixelsTheApiDecoded_AreTakenOnceAndGiveTheSameArtefacts()
    {
        var submission = await SyntheticPicture.StoreAsync(store);
        using var decoded = new DecodedUploads();
        var cached = new ImageProcessor(store, ImageProcessingOptions.Default, decoded);
        decoded.Put(submission.Image.Sha256, submission.Map!.Sha256, ImageFiles.ReadRgb(store.PathOf(submission.Image)), AnomalyNcd.Core.Maps.AnomalyMapFile.Read(store.PathOf(submission.Map)));

        var fromCache = await cached.ProcessAsync("line", "img", submission, 0f, 1f);
        var left = decoded.Count;
        var fromStore = await processor.ProcessAsync("line", "img", submission, 0f, 1f);

        Assert.Equal(0, left);
        Assert.Equal(fromStore.Mask, fromCache.Mask);
        Assert.Equal(fromStore.Regions.Select(r => (r.Crop, r.CropMask, r.Box)), fromCache.Regions.Select(r => (r.Crop, r.CropMask, r.Box)));
    }

    /// <summary>A detector's map on its 0–255 normal-referenced scale: one strong defect and two faint ones.</summary>
    private async Task<ImageSubmission> StrongAndFaintDefectsAsync(string? detectorVersion)
    {
        var map = new AnomalyNcd.Core.Maps.FloatMap(SyntheticPicture.Size, SyntheticPicture.Size);
        for (var y = 0; y < SyntheticPicture.Size; y++)
        {
            for (var x = 0; x < SyntheticPicture.Size; x++)
            {
                map[x, y] = 5f;
            }
        }

        foreach (var (cx, cy, value) in new[] { (30, 30, 250f), (95, 30, 45f), (60, 95, 35f) })
        {
            for (var y = cy - 8; y <= cy + 8; y++)
            {
                for (var x = cx - 8; x <= cx + 8; x++)
                {
                    map[x, y] = value;
                }
            }
        }

        var image = await store.PutAsync(SyntheticPicture.ImagePng(), "image", "png");
        var mapRef = await store.PutAsync(AnomalyNcd.Core.Maps.NpyFile.Encode(map), "map", "npy");
        return new ImageSubmission(image, mapRef, SyntheticPicture.Size, SyntheticPicture.Size, "faint.png", null, detectorVersion);
    }

    [Fact]
    public async Task Process_DetectorMap_EveryPersistentPeakIsARegion_UploadedMapKeepsMebin()
    {
        // MEBin keeps one threshold for the whole map, where only the strong defect is stable; the detector path
        // cuts each peak at its own height. A map sent with the upload stays on the reference's MEBin.
        var fromDetector = await processor.ProcessAsync("line", "det", await StrongAndFaintDefectsAsync("v1"), 0f, 255f);
        var mebinOnly = new ImageProcessor(store, ImageProcessingOptions.Default with { DetectorMapRule = AnomalyNcd.Core.Binarization.RegionRule.StableCount });
        var fromDetectorWithMebin = await mebinOnly.ProcessAsync("line", "det", await StrongAndFaintDefectsAsync("v1"), 0f, 255f);
        var uploaded = await processor.ProcessAsync("line", "up", await StrongAndFaintDefectsAsync(null), 0f, 255f);

        Assert.Equal(3, fromDetector.EstimatedRegions);
        Assert.Equal(3, fromDetector.Regions.Count);
        Assert.Equal(1, fromDetectorWithMebin.EstimatedRegions);
        Assert.Equal(1, uploaded.EstimatedRegions);
    }

    [Fact]
    public async Task Process_DetectorMapWithARegionGate_OnlyPeaksAboveTheGateBecomeRegions()
    {
        // The faint peaks rise to 45 and 35 of 255: a gate at 40 keeps the strong one and the 45 one.
        var gated = await processor.ProcessAsync("line", "det", await StrongAndFaintDefectsAsync("v1") with { RegionGateLevel = 40 }, 0f, 255f);
        var above = await processor.ProcessAsync("line", "det", await StrongAndFaintDefectsAsync("v1") with { RegionGateLevel = 100 }, 0f, 255f);

        Assert.Equal(2, gated.EstimatedRegions);
        Assert.Equal(1, above.EstimatedRegions);
        Assert.All(above.Regions, r => Assert.InRange(r.Box.Left, 0.0, 60.0));
    }
}
