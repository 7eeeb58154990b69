using System.Diagnostics;
using AnomalyNcd.Contracts;
using AnomalyNcd.Contracts.Artefacts;
using AnomalyNcd.Contracts.Detection;
using AnomalyNcd.Contracts.Images;
using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Core.Common;
using AnomalyNcd.Grains.Artefacts;
using AnomalyNcd.Grains.Processing;
using AnomalyNcd.Silo.Hosting;

namespace AnomalyNcd.Silo.Ingest;

/// <summary>
/// The ingest use case behind the upload endpoints: validate an upload (nothing is stored for a refused one), compare
/// it with a stored image of the same id, store it, have the line's promoted detector make its map when none was sent,
/// hand its decoded pixels to this process's processor and submit it to its image grain. A batch does this per image and has the line record all of them with one state write. Refusals
/// come back as <see cref="UploadRefusal"/>s, which the API turns into problem details; every refusal and accepted
/// image is counted in <see cref="IngestMetrics"/>.
/// </summary>
internal sealed class ImageIngest(IGrainFactory grains, IArtefactStore store, DecodedUploads decodedUploads, AnomalyNcdServerOptions options)
{
    /// <summary>The request-level checks of an upload: line id, declared size and form content type.</summary>
    public UploadRefusal? CheckRequest(string line, long? contentLength, bool hasFormContentType, string? contentType)
    {
        var refusal = CheckId(line, "line")
            ?? (contentLength is { } length && length > options.MaxUploadBytes
                ? UploadRefusal.TooLarge($"upload of {length} bytes exceeds the limit of {options.MaxUploadBytes} bytes")
                : null)
            ?? (hasFormContentType
                ? null
                : UploadRefusal.UnsupportedMediaType($"content type '{contentType}' is not multipart/form-data with an 'image' file"));
        return Count(refusal);
    }

    /// <summary>NotFound unless the line exists.</summary>
    public async Task<UploadRefusal?> CheckLineAsync(string line)
    {
        var stage = Stopwatch.GetTimestamp();
        if (!await grains.GetGrain<IProductLineGrain>(line).ExistsAsync())
        {
            return Count(UploadRefusal.NotFound($"line '{line}' does not exist"));
        }

        IngestMetrics.Record(IngestStage.ApiLineExists, stage);
        return null;
    }

    /// <summary>
    /// One upload, which its image grain records on the line. A grain's refusal or bad input found while processing
    /// is thrown (after counting), as from any other endpoint.
    /// </summary>
    public async Task<UploadOutcome> UploadAsync(string line, UploadItem item, CancellationToken cancellationToken)
    {
        try
        {
            return Count(await StoreAndSubmitAsync(line, item, recordOnLine: true, cancellationToken));
        }
        catch (RequestRejectedException rejection)
        {
            Count(UploadRefusal.From(rejection));
            throw;
        }
        catch (InvalidInputException invalid)
        {
            Count(UploadRefusal.From(invalid));
            throw;
        }
    }

    /// <summary>
    /// The batch's images with their maps, ids and ground truths paired in order, or the refusal of the whole form
    /// (no image, more than the configured maximum, or parts that cannot be paired).
    /// </summary>
    public (IReadOnlyList<UploadItem>? Items, UploadRefusal? Refusal) PairBatch(BatchParts parts)
    {
        var (images, maps, ids, truths) = (parts.Images, parts.Maps, parts.Ids, parts.GroundTruths);
        if (images.Count == 0)
        {
            return (null, Count(UploadRefusal.BadRequest("the form has no 'image' file")));
        }

        if (images.Count > options.MaxBatchImages)
        {
            return (null, Count(UploadRefusal.BadRequest($"the batch has {images.Count} images; at most {options.MaxBatchImages} per request")));
        }

        foreach (var (name, count) in new[] { ("map", maps.Count), ("id", ids.Count), ("groundTruth", truths.Count) })
        {
            if (count != 0 && count != images.Count)
            {
                return (null, Count(UploadRefusal.BadRequest($"the batch has {images.Count} 'image' files but {count} '{name}' parts: give none or one per image, in the same order")));
            }
        }

        var items = new UploadItem[images.Count];
        for (var i = 0; i < images.Count; i++)
        {
            items[i] = new UploadItem(images[i], maps.Count == 0 ? null : maps[i], ids.Count == 0 ? null : ids[i], truths.Count == 0 ? null : truths[i]);
        }

        return (items, null);
    }

    /// <summary>
    /// Every image of a batch as a single upload would be handled (in parallel), then one line record of all stored
    /// ones. A refused image stores nothing and does not stop the others; a fault that is nobody's mistake (database
    /// or store unavailable) is thrown and fails the whole batch, which is safe to resend.
    /// </summary>
    public async Task<UploadOutcome[]> UploadBatchAsync(string line, IReadOnlyList<UploadItem> items, CancellationToken cancellationToken)
    {
        var outcomes = new UploadOutcome[items.Count];
        var duplicates = DuplicateIds(items);
        await Parallel.ForEachAsync(
            Enumerable.Range(0, items.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(2, Environment.ProcessorCount * 2), CancellationToken = cancellationToken },
            async (i, cancel) => outcomes[i] = Count(duplicates.TryGetValue(i, out var first)
                ? UploadOutcome.Refused(UploadRefusal.Conflict($"image '{items[i].ImageId}' appears more than once in this batch (first as item {first}); nothing stored for item {i}"))
                : await StoreAndSubmitInBatchAsync(line, items[i], cancel)));

        var stored = outcomes.Where(o => o.Result is not null).Select(o => o.Result!).ToArray();
        var stage = Stopwatch.GetTimestamp();
        await grains.GetGrain<IProductLineGrain>(line).RecordImagesAsync(stored);
        IngestMetrics.Record(IngestStage.ApiLineRecordBatch, stage);
        return outcomes;
    }

    /// <summary>Item index → index of the earlier item with the same id (two uploads of one id in a batch would race).</summary>
    private static Dictionary<int, int> DuplicateIds(IReadOnlyList<UploadItem> items)
    {
        var first = new Dictionary<string, int>(StringComparer.Ordinal);
        var duplicates = new Dictionary<int, int>();
        for (var i = 0; i < items.Count; i++)
        {
            if (!first.TryAdd(items[i].ImageId, i))
            {
                duplicates[i] = first[items[i].ImageId];
            }
        }

        return duplicates;
    }

    /// <summary>In a batch a grain's refusal belongs to its item; the others go on.</summary>
    private async Task<UploadOutcome> StoreAndSubmitInBatchAsync(string line, UploadItem item, CancellationToken cancellationToken)
    {
        try
        {
            return await StoreAndSubmitAsync(line, item, recordOnLine: false, cancellationToken);
        }
        catch (RequestRejectedException rejection)
        {
            return UploadOutcome.Refused(UploadRefusal.From(rejection));
        }
        catch (InvalidInputException invalid)
        {
            return UploadOutcome.Refused(UploadRefusal.From(invalid));
        }
    }

    private async Task<UploadOutcome> StoreAndSubmitAsync(string line, UploadItem item, bool recordOnLine, CancellationToken cancellationToken)
    {
        var imageName = item.FileName;
        var id = item.ImageId;
        if (CheckId(id, "image") is { } badId)
        {
            return UploadOutcome.Refused(badId);
        }

        var groundTruth = item.GroundTruth;
        if (groundTruth is not null && !GrainKeys.IsValidId(groundTruth))
        {
            return UploadOutcome.Refused(UploadRefusal.BadRequest($"groundTruth '{groundTruth}' is not a valid class name: 1–{GrainKeys.MaxIdLength} letters, digits, '-', '_' or '.'"));
        }

        var stage = Stopwatch.GetTimestamp();
        var (upload, refusal) = await UploadValidator.ValidateAsync(item.Image, item.Map, options, cancellationToken);
        if (refusal is not null)
        {
            return UploadOutcome.Refused(refusal);
        }

        IngestMetrics.Record(IngestStage.ApiValidate, stage);
        DetectorVersion? detector = null;
        if (upload!.Map is null && (detector = await grains.GetGrain<ILineDetectorGrain>(line).GetPromotedAsync()) is null)
        {
            // Refused before anything is stored: without a map the line's promoted detector makes one.
            return UploadOutcome.Refused(UploadRefusal.NotReady(
                $"{imageName}: line '{line}' has no promoted detector to make the anomaly map of an image sent without one; learn a detector first: "
                + $"POST /api/lines/{line}/detector (fitted on images uploaded with normal=true), then POST /api/lines/{line}/detectors/{{version}}/promote; or send the image with its map"));
        }

        var rgb = upload.Rgb;
        try
        {
            stage = Stopwatch.GetTimestamp();
            var imageGrain = grains.GetGrain<IImageGrain>(GrainKeys.Image(line, id));
            var existing = await imageGrain.GetAsync();
            IngestMetrics.Record(IngestStage.ApiExistingCheck, stage);
            if (existing is not null)
            {
                if (existing.Image.Sha256 != upload.Image.Sha256)
                {
                    return UploadOutcome.Refused(UploadRefusal.Conflict($"image '{id}' of line '{line}' already exists with other content (sha256 {existing.Image.Sha256}); {imageName} has sha256 {upload.Image.Sha256}"));
                }

                // A retried upload of the same bytes is not a duplicate. It goes through the grain anyway: the first attempt
                // may have stored the image and then failed before the line recorded it (a silo died in between), and the
                // line records it again. Answering from the stored result alone lost such images.
                var again = new ImageSubmission(existing.Image, existing.Map, existing.Width, existing.Height, imageName, existing.GroundTruthClass);
                return UploadOutcome.Stored(await Submit(imageGrain, again, recordOnLine), created: false);
            }

            stage = Stopwatch.GetTimestamp();
            var imageRef = await PutAsync(upload.Image, "image", cancellationToken);
            var scored = upload.Map is null
                ? await grains.GetGrain<IDetectorScoringGrain>(IDetectorScoringGrain.Key(line, detector!.Version)).ScoreAsync(detector, imageRef)
                : new ScoredMap(await PutAsync(upload.Map, "map", cancellationToken), null);
            var mapRef = scored.Map;
            IngestMetrics.Record(IngestStage.ApiStoreUpload, stage);
            if (rgb is not null && mapRef is not null && upload.MapValues is not null)
            {
                // Only now that both are stored: the processor of this process takes these pixels instead of decoding the files.
                decodedUploads.Put(imageRef.Sha256, mapRef.Sha256, rgb, upload.MapValues);
                rgb = null;
            }

            stage = Stopwatch.GetTimestamp();
            var result = await Submit(imageGrain, new ImageSubmission(imageRef, mapRef, upload.Width, upload.Height, imageName, groundTruth, detector?.Version, scored.RegionGateLevel), recordOnLine);
            IngestMetrics.Record(IngestStage.ApiGrainSubmit, stage);
            return UploadOutcome.Stored(result, created: true);
        }
        finally
        {
            rgb?.Dispose();
        }
    }

    private static Task<ImageResult> Submit(IImageGrain image, ImageSubmission submission, bool recordOnLine) =>
        recordOnLine ? image.SubmitAsync(submission) : image.SubmitWithoutLineRecordAsync(submission);

    private Task<ArtefactRef> PutAsync(CheckedFile file, string kind, CancellationToken cancellationToken) =>
        store.PutAsync(file.Bytes, kind, file.Extension, cancellationToken);

    /// <summary>The same rule and words as the API's id check: an id no grain could have never becomes a grain key.</summary>
    internal static UploadRefusal? CheckId(string id, string what) =>
        GrainKeys.IsValidId(id)
            ? null
            : UploadRefusal.BadRequest($"{what} id '{id}' is not valid: 1–{GrainKeys.MaxIdLength} letters, digits, '-', '_' or '.', not starting with '.'");

    private static UploadOutcome Count(UploadOutcome outcome)
    {
        if (outcome.Refusal is { } refusal)
        {
            Count(refusal);
        }
        else
        {
            IngestMetrics.Images.Add(1, new KeyValuePair<string, object?>(IngestMetrics.OutcomeTag, outcome.Created ? "created" : "already-stored"));
        }

        return outcome;
    }

    private static UploadRefusal? Count(UploadRefusal? refusal)
    {
        if (refusal is not null)
        {
            IngestMetrics.Rejections.Add(1, new KeyValuePair<string, object?>(IngestMetrics.KindTag, refusal.Tag));
        }

        return refusal;
    }
}
