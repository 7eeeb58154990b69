using AnomalyNcd.Contracts;
using AnomalyNcd.Contracts.Artefacts;
using AnomalyNcd.Contracts.Images;
using AnomalyNcd.Contracts.Regions;
using AnomalyNcd.Core.Binarization;
using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Cropping;
using AnomalyNcd.Core.Imaging;
using AnomalyNcd.Core.Maps;
using AnomalyNcd.Grains.Artefacts;
using OpenCvSharp;

namespace AnomalyNcd.Grains.Processing;

/// <summary>
/// Stage 1 for one streamed image, with Core's code: read image and raw map from the artefact store,
/// bring a smaller map to the image size (nearest neighbour), normalise it with the line's calibration,
/// MEBin, plan and cut the anomaly-centred crops, and store mask, crops and crop masks as PNG.
/// Plain C#, CPU-bound and synchronous inside: grains call it off their scheduler.
/// </summary>
public sealed class ImageProcessor(IArtefactStore store, ImageProcessingOptions options, DecodedUploads? decodedUploads = null)
{
    public const string MaskKind = "mask";
    public const string CropKind = "crop";
    public const string CropMaskKind = "crop-mask";

    /// <summary>The binarisation of a map the line's detector scored: <see cref="ImageProcessingOptions.Mebin"/> with the detector-map rule.</summary>
    private readonly MebinSetOptions detectorMapMebin = options.Mebin with { Rule = options.DetectorMapRule };

    public ImageProcessingOptions Options => options;

    /// <summary>
    /// Processes one image. Refusals (missing artefact, undecodable image or map, wrong sizes) are
    /// <see cref="RequestRejectedException"/>s of kind Invalid that name the image and the problem.
    /// </summary>
    public async Task<ProcessedImage> ProcessAsync(
        string lineId,
        string imageId,
        ImageSubmission submission,
        float calibrationMin,
        float calibrationMax,
        CancellationToken cancellationToken = default,
        byte? mebinFloor = null)
    {
        // A detector's map is already on its normal-referenced scale; only a map sent with the upload needs the line's calibration.
        if (submission.DetectorVersion is null && !(calibrationMax > calibrationMin))
        {
            throw RequestRejectedException.NotReady($"line {lineId} has no map calibration");
        }

        if (submission.Map is null)
        {
            throw RequestRejectedException.Invalid($"image {imageId}: no anomaly map was given");
        }

        // The MEBin floor is the line's (learnt with its calibration); a line calibrated without one searches from 0.
        var calibration = submission.DetectorVersion is null
            ? new MapCalibration(lineId, calibrationMin, calibrationMax, DateTimeOffset.UnixEpoch) { MebinFloor = mebinFloor ?? 0 }
            : NormalReferencedMaps.Calibration(lineId);
        var cut = Cut(lineId, imageId, submission, submission.Map, calibration);
        var stage = System.Diagnostics.Stopwatch.GetTimestamp();
        var mask = await store.PutDerivedAsync(cut.Mask, MaskKind, "png", cancellationToken);
        var regions = new List<ProcessedRegion>(cut.Crops.Count);
        foreach (var crop in cut.Crops)
        {
            var cropRef = await store.PutDerivedAsync(crop.Image, CropKind, "png", cancellationToken);
            var cropMaskRef = await store.PutDerivedAsync(crop.Mask, CropMaskKind, "png", cancellationToken);
            regions.Add(new ProcessedRegion(crop.Index, crop.Box, crop.Area, crop.Score, cropRef, cropMaskRef));
        }

        IngestMetrics.Record(IngestStage.ProcStoreDerived, stage);

        return new ProcessedImage(cut.Width, cut.Height, mask, cut.Threshold, cut.EstimatedRegions, regions);
    }

    private sealed record EncodedCrop(int Index, RegionBox Box, int Area, double Score, byte[] Image, byte[] Mask);

    private sealed record CutImage(int Width, int Height, byte[] Mask, int Threshold, int EstimatedRegions, IReadOnlyList<EncodedCrop> Crops);

    /// <param name="calibration">The line's calibration for a map sent with the upload; the identity for a detector's map.</param>
    private CutImage Cut(string lineId, string imageId, ImageSubmission submission, ArtefactRef mapRef, MapCalibration calibration)
    {
        var stage = System.Diagnostics.Stopwatch.GetTimestamp();
        Mat decodedImage;
        FloatMap raw;
        if (decodedUploads is not null && decodedUploads.TryTake(submission.Image.Sha256, mapRef.Sha256, out var validatedImage, out var validatedMap))
        {
            // The upload API decoded exactly these stored bytes to validate them (same readers): no second decode.
            (decodedImage, raw) = (validatedImage, validatedMap);
        }
        else
        {
            decodedImage = ReadImage(imageId, submission.Image);
            try
            {
                raw = ReadMap(imageId, mapRef);
            }
            catch
            {
                decodedImage.Dispose();
                throw;
            }
        }

        using var image = decodedImage;
        if ((image.Width, image.Height) != (submission.Width, submission.Height))
        {
            throw RequestRejectedException.Invalid(
                $"image {imageId}: declared as {submission.Width}x{submission.Height} but the file is {image.Width}x{image.Height}");
        }

        if (raw.Width > image.Width || raw.Height > image.Height)
        {
            throw RequestRejectedException.Invalid(
                $"image {imageId}: anomaly map is {raw.Width}x{raw.Height} but the image is {image.Width}x{image.Height} (a map may be smaller and is then resized, never larger)");
        }

        // The streamed twin of discover --maps: resize to the image, normalise with the line's range, MEBin.
        IngestMetrics.Record(IngestStage.ProcDecode, stage);
        stage = System.Diagnostics.Stopwatch.GetTimestamp();
        var map = calibration.Apply(MapResize.Nearest(raw, image.Width, image.Height));
        var range = calibration.MebinRange;
        var mebin = MebinSet.BinarizeOne(map, range, submission.DetectorVersion is null ? options.Mebin : detectorMapMebin.GatedAt(submission.RegionGateLevel));
        IngestMetrics.Record(IngestStage.ProcMebin, stage);
        stage = System.Diagnostics.Stopwatch.GetTimestamp();
        var maskPng = Encode(mebin.Mask);
        if (mebin.EstimatedRegionCount == 0)
        {
            return new CutImage(image.Width, image.Height, maskPng, mebin.Threshold, 0, []);
        }

        using var cropped = SubImageCropper.Run(image, mebin.Mask, mebin.EstimatedRegionCount, map, range, options.Crop);
        var crops = new List<EncodedCrop>(cropped.Crops.Count);
        foreach (var crop in cropped.Crops)
        {
            using var bgr = new Mat();
            using (var source = InputArray.Create(crop.Image))
            using (var target = OutputArray.Create(bgr))
            {
                Cv2.CvtColor(source, target, ColorConversionCodes.RGB2BGR);
            }

            var box = new RegionBox(crop.Box.Left, crop.Box.Up, crop.Box.Right, crop.Box.Bottom);
            crops.Add(new EncodedCrop(crop.Index, box, crop.ForegroundArea, crop.ScoreFraction ?? 0.0, Encode(bgr, CropPng), Encode(crop.Mask)));
        }

        IngestMetrics.Record(IngestStage.ProcCropEncode, stage);

        return new CutImage(image.Width, image.Height, maskPng, mebin.Threshold, mebin.EstimatedRegionCount, crops);
    }

    private Mat ReadImage(string imageId, ArtefactRef artefact)
    {
        var path = ExistingPath(imageId, artefact, "image");
        try
        {
            return ImageFiles.ReadRgb(path);
        }
        catch (InvalidInputException ex)
        {
            throw RequestRejectedException.Invalid($"image {imageId}: {ex.Message}");
        }
    }

    private FloatMap ReadMap(string imageId, ArtefactRef artefact)
    {
        if (!AnomalyMapFile.IsMapFile("map." + artefact.Extension))
        {
            throw RequestRejectedException.Invalid(
                $"image {imageId}: anomaly map format '.{artefact.Extension}' is not one of {string.Join(", ", AnomalyMapFile.Extensions)}");
        }

        var path = ExistingPath(imageId, artefact, "anomaly map");
        try
        {
            return AnomalyMapFile.Read(path);
        }
        catch (InvalidInputException ex)
        {
            throw RequestRejectedException.Invalid($"image {imageId}: anomaly map: {ex.Message}");
        }
    }

    private string ExistingPath(string imageId, ArtefactRef artefact, string what)
    {
        string path;
        try
        {
            path = store.PathOf(artefact);
        }
        catch (ArgumentException ex)
        {
            throw RequestRejectedException.Invalid($"image {imageId}: {what} reference is malformed ({ex.Message})");
        }

        if (!File.Exists(path))
        {
            throw RequestRejectedException.Invalid($"image {imageId}: {what} {artefact.Sha256}.{artefact.Extension} is not in the artefact store");
        }

        return path;
    }

    /// <summary>Binary masks (mask, crop masks): 0/255 runs, which run-length matching with no row filter packs best and fastest.</summary>
    private static byte[] Encode(GrayImage image)
    {
        using var mat = image.ToMat();
        return Encode(mat, MaskPng);
    }

    // IMWRITE_PNG_FILTER (OpenCV 4.11+; not in OpenCvSharp's enum) and its values PNG_FILTER_NONE / PNG_FILTER_SUB.
    private const ImwriteFlags PngFilter = (ImwriteFlags)19;
    private const int PngFilterNone = 8;
    private const int PngFilterSub = 16;

    /// <summary>
    /// Level 1 of 9: masks and crops are small and recomputable, and the default level costs several times the CPU for a
    /// few percent of bytes. One fixed row filter: libpng's adaptive choice (tries all five per row) cost about 1 ms for
    /// a 256×256 mask, more than the compression. Lossless either way: the pixels read back are the same.
    /// </summary>
    private static readonly ImageEncodingParam[] CropPng = [new(ImwriteFlags.PngCompression, 1), new(PngFilter, PngFilterSub)];

    private static readonly ImageEncodingParam[] MaskPng =
        [new(ImwriteFlags.PngCompression, 1), new(ImwriteFlags.PngStrategy, (int)ImwritePNGFlags.StrategyRLE), new(PngFilter, PngFilterNone)];

    /// <remarks>
    /// The InputArray is made and disposed here: passing the Mat lets OpenCvSharp create one implicitly that nobody
    /// disposes, and the finalizer thread then spent ~11 % of the ingest CPU releasing those handles.
    /// </remarks>
    private static byte[] Encode(Mat mat, ImageEncodingParam[] parameters)
    {
        using var input = InputArray.Create(mat);
        Cv2.ImEncode(".png", input, out var encoded, parameters);
        return encoded.Length > 0 ? encoded : throw new InvalidOperationException("PNG encoding failed");
    }
}
