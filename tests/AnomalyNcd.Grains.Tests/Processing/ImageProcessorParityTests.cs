using AnomalyNcd.Contracts.Images;
using AnomalyNcd.Core.Binarization;
using AnomalyNcd.Core.Cropping;
using AnomalyNcd.Core.Imaging;
using AnomalyNcd.Core.Maps;
using AnomalyNcd.Core.Synthetic;
using AnomalyNcd.Grains.Artefacts;
using AnomalyNcd.Grains.Processing;
using AnomalyNcd.Grains.Tests.Support;
using OpenCvSharp;

namespace AnomalyNcd.Grains.Tests.Processing;

/// <summary>
/// The processor's fast paths (8-bit maps kept as bytes, fast MEBin, same-size crop scores, cheaper PNG settings) against
/// the plain reference chain: float map, <see cref="MapNormalization.ToByte(FloatMap, float, float)"/> on floats, the
/// reference MEBin loop and the cropper; every stored PNG must decode to the reference pixels.
/// </summary>
public sealed class ImageProcessorParityTests : IDisposable
{
    private readonly TempFolder folder = TestData.NewTempFolder();
    private readonly FileArtefactStore store;

    public ImageProcessorParityTests() => store = new FileArtefactStore(Path.Combine(folder.Path, "store"));

    public void Dispose() => folder.Dispose();

    [Theory]
    [InlineData("MT_Blowhole")]
    [InlineData("MT_Crack")]
    [InlineData("MT_Break")]
    [InlineData("MT_Uneven")]
    public async Task Process_MtdImagesWithBlurredMaskMaps_ArtefactsEqualTheReferenceChain(string category)
    {
        var images = Directory.EnumerateFiles(TestData.RequireFile("mtd", category, "Imgs"), "*.jpg").Order(StringComparer.Ordinal).Take(2);
        var compared = 0;
        foreach (var imagePath in images)
        {
            // an 8-bit detector-like map: the ground-truth mask blurred, over a faint texture of the image itself
            using var gray = Cv2.ImRead(imagePath, ImreadModes.Grayscale);
            using var truth = Cv2.ImRead(Path.ChangeExtension(imagePath, ".png"), ImreadModes.Grayscale);
            using var blurred = new Mat();
            Cv2.GaussianBlur(truth, blurred, new Size(15, 15), 5);
            using var map = new Mat();
            Cv2.AddWeighted(blurred, 0.8, gray, 0.15, 0, map);
            Cv2.ImEncode(".png", map, out var mapPng);

            foreach (var (min, max, floor) in new[] { (0f, 255f, (byte)0), (10f, 230f, (byte)90) })
            {
                compared += await AssertParityAsync(await File.ReadAllBytesAsync(imagePath), "jpg", mapPng, "png", min, max, floor);
            }
        }

        Assert.True(compared > 0, "no crop was compared");
    }

    [Fact]
    public async Task Process_SyntheticUploads_ArtefactsEqualTheReferenceChain()
    {
        var summary = SyntheticDatasetWriter.Write(new SyntheticOptions(Lines: 1, ImagesPerLine: 8, Size: 256, Seed: 11), Path.Combine(folder.Path, "synthetic"));
        var compared = 0;
        foreach (var record in summary.Images)
        {
            var image = await File.ReadAllBytesAsync(Path.Combine(summary.Folder, record.Row.Image));
            var map = await File.ReadAllBytesAsync(Path.Combine(summary.Folder, record.Row.AnomalyMap!));
            compared += await AssertParityAsync(image, "png", map, "png", 0f, 255f, 0);
        }

        Assert.True(compared > 0, "no crop was compared");
    }

    [Theory]
    [InlineData(128)]
    [InlineData(64)]
    public async Task Process_FloatMapOfOtherSize_ArtefactsEqualTheReferenceChain(int mapSize)
    {
        Assert.Equal(2, await AssertParityAsync(SyntheticPicture.ImagePng(), "png", SyntheticPicture.MapNpy(mapSize, withDefects: true), "npy", 0f, 1f, 0));
    }

    /// <returns>The number of crops compared.</returns>
    private async Task<int> AssertParityAsync(byte[] imageBytes, string imageExtension, byte[] mapBytes, string mapExtension, float min, float max, byte floor)
    {
        var imageRef = await store.PutAsync(imageBytes, "image", imageExtension);
        var mapRef = await store.PutAsync(mapBytes, "map", mapExtension);
        using var rgb = ImageFiles.ReadRgb(store.PathOf(imageRef));
        var submission = new ImageSubmission(imageRef, mapRef, rgb.Width, rgb.Height, "parity", null);

        // both ways in: decoded by the processor from the store, and handed over as the upload API does
        using var decoded = new DecodedUploads();
        decoded.Put(imageRef.Sha256, mapRef.Sha256, rgb.Clone(), AnomalyMapFile.Read(mapBytes, "map." + mapExtension));
        var fromStore = await new ImageProcessor(store, ImageProcessingOptions.Default).ProcessAsync("line", "img", submission, min, max, mebinFloor: floor);
        var handedOver = await new ImageProcessor(store, ImageProcessingOptions.Default, decoded).ProcessAsync("line", "img", submission, min, max, mebinFloor: floor);

        var raw = AnomalyMapFile.Read(store.PathOf(mapRef));
        _ = raw.Values; // the float map, as before 8-bit maps were kept as bytes
        var normalized = MapNormalization.ToByte(MapResize.Nearest(raw, rgb.Width, rgb.Height), min, max);
        var range = new MebinRange(floor, 255);
        var mebin = MebinReference.Binarize(normalized, range, MebinOptions.Default);

        foreach (var processed in new[] { fromStore, handedOver })
        {
            Assert.Equal(mebin.Threshold, processed.Threshold);
            Assert.Equal(mebin.EstimatedRegionCount, processed.EstimatedRegions);
            Assert.Equal(mebin.Mask.Pixels, ImageFiles.ReadGray(store.PathOf(processed.Mask)).Pixels);
            if (mebin.EstimatedRegionCount == 0)
            {
                Assert.Empty(processed.Regions);
                continue;
            }

            using var crops = SubImageCropper.Run(rgb, mebin.Mask, mebin.EstimatedRegionCount, normalized, range, CropOptions.Parity);
            Assert.Equal(crops.Crops.Count, processed.Regions.Count);
            for (var k = 0; k < crops.Crops.Count; k++)
            {
                var (expected, actual) = (crops.Crops[k], processed.Regions[k]);
                Assert.Equal((expected.Index, expected.Box.Left, expected.Box.Up, expected.Box.Right, expected.Box.Bottom), (actual.Index, actual.Box.Left, actual.Box.Up, actual.Box.Right, actual.Box.Bottom));
                Assert.Equal(expected.ForegroundArea, actual.Area);
                Assert.Equal(expected.ScoreFraction ?? 0.0, actual.Score);
                using var crop = ImageFiles.ReadRgb(store.PathOf(actual.Crop));
                Assert.Equal(Pixels(expected.Image), Pixels(crop));
                Assert.Equal(expected.Mask.Pixels, ImageFiles.ReadGray(store.PathOf(actual.CropMask)).Pixels);
            }
        }

        Assert.Equal(fromStore.Mask, handedOver.Mask);
        Assert.Equal(fromStore.Regions, handedOver.Regions);
        return fromStore.Regions.Count;
    }

    private static byte[] Pixels(Mat mat)
    {
        Assert.True(mat.GetArray(out Vec3b[] pixels));
        return [.. pixels.SelectMany(p => new[] { p.Item0, p.Item1, p.Item2 })];
    }
}
