using AnomalyNcd.Contracts;
using AnomalyNcd.Contracts.Artefacts;
using AnomalyNcd.Contracts.Images;
using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Contracts.Regions;
using AnomalyNcd.Grains.Artefacts;
using AnomalyNcd.Grains.Processing;
using AnomalyNcd.Silo.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Primitives;

namespace AnomalyNcd.Silo.Api;

/// <summary>Images of a line: upload one or a batch (validated, then stored, then submitted), list, result, regions.</summary>
internal static class ImageEndpoints
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = PageLimits.MaxTake;

    public static void Map(RouteGroupBuilder api)
    {
        var images = api.MapGroup("/lines/{line}/images").WithTags("Images");
        images.MapPost("/", UploadAsync)
            .DisableAntiforgery()
            .RequireAuthorization(Security.ApiPolicies.Upload)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .Accepts<IFormFile>("multipart/form-data")
            .Produces<ImageResult>(StatusCodes.Status201Created)
            .Produces<ImageResult>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        images.MapPost("/batch", UploadBatchAsync)
            .DisableAntiforgery()
            .RequireAuthorization(Security.ApiPolicies.Upload)
            .Accepts<IFormFileCollection>("multipart/form-data")
            .Produces<ImageBatchResult>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        images.MapGet("/", ListAsync).Produces<ImageResult[]>().ProducesProblem(StatusCodes.Status404NotFound);
        images.MapGet("/{id}", GetAsync).Produces<ImageResult>().ProducesProblem(StatusCodes.Status404NotFound);
        images.MapGet("/{id}/regions", GetRegionsAsync).Produces<RegionResult[]>().ProducesProblem(StatusCodes.Status404NotFound);
    }

    /// <summary>
    /// multipart/form-data: <c>image</c> (file), optional <c>map</c> (file), optional <c>id</c> (default: the image's
    /// file stem), optional <c>groundTruth</c>. 201 for a new image, 200 when the same bytes were already submitted.
    /// </summary>
    private static async Task<IResult> UploadAsync(
        string line, HttpRequest request, IGrainFactory grains, [AsParameters] UploadServices services, CancellationToken cancellationToken)
    {
        if (services.RateLimiting.TryAcquire(request.HttpContext, 1) is { } tooMany)
        {
            return tooMany;
        }

        if (CheckRequest(line, request, services.Options) is { } refused)
        {
            return refused;
        }

        var stage = System.Diagnostics.Stopwatch.GetTimestamp();
        if (!await grains.GetGrain<IProductLineGrain>(line).ExistsAsync())
        {
            return ApiProblems.NotFound($"line '{line}' does not exist");
        }

        IngestStageClock.Record("api.line-exists", stage);
        stage = System.Diagnostics.Stopwatch.GetTimestamp();
        var form = await request.ReadFormAsync(cancellationToken);
        IngestStageClock.Record("api.read-form", stage);
        var image = form.Files.GetFile("image");
        if (image is null)
        {
            return ApiProblems.BadRequest("the form has no 'image' file");
        }

        var item = new UploadItem(image, form.Files.GetFile("map"), Single(form["id"]), Single(form["groundTruth"]));
        var outcome = await StoreAndSubmitAsync(line, item, grains, services, recordOnLine: true, cancellationToken);
        return outcome switch
        {
            { Problem: { } problem } => problem,
            { Created: true } => Results.Created($"{ApiEndpoints.Prefix}/lines/{line}/images/{outcome.Result!.ImageId}", outcome.Result),
            _ => Results.Ok(outcome.Result),
        };
    }

    /// <summary>
    /// multipart/form-data with several images: <c>image</c> files (1 to the configured maximum), optional <c>map</c>
    /// files (none, or one per image, paired in order), optional <c>id</c> and <c>groundTruth</c> values (none, or one
    /// per image, in order). Each image is validated, stored and processed as a single upload would be, and the line
    /// records the whole batch with one state write. 200 with one entry per image, in order: its status (201 new,
    /// 200 already stored, or the problem's status), the result or the problem details; a refused image stores nothing
    /// and does not stop the others. A fault that is nobody's mistake (database or store unavailable) fails the whole
    /// request (503/507); resending the batch is safe, since stored images come back as 200.
    /// </summary>
    private static async Task<IResult> UploadBatchAsync(
        string line, HttpRequest request, IGrainFactory grains, [AsParameters] UploadServices services, CancellationToken cancellationToken)
    {
        if (CheckRequest(line, request, services.Options) is { } refused)
        {
            return refused;
        }

        var lineGrain = grains.GetGrain<IProductLineGrain>(line);
        if (!await lineGrain.ExistsAsync())
        {
            return ApiProblems.NotFound($"line '{line}' does not exist");
        }

        var form = await request.ReadFormAsync(cancellationToken);
        var (items, problem) = BatchItems(form, services.Options.MaxBatchImages);
        if (problem is not null)
        {
            return problem;
        }

        if (services.RateLimiting.TryAcquire(request.HttpContext, items!.Count) is { } tooMany)
        {
            return tooMany;
        }

        var outcomes = new UploadOutcome[items.Count];
        var duplicates = DuplicateIds(items);
        await Parallel.ForEachAsync(
            Enumerable.Range(0, items.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(2, Environment.ProcessorCount * 2), CancellationToken = cancellationToken },
            async (i, cancel) => outcomes[i] = duplicates.TryGetValue(i, out var first)
                ? UploadOutcome.Refused(ApiProblems.Conflict($"image '{IdOf(items[i])}' appears more than once in this batch (first as item {first}); nothing stored for item {i}"))
                : await StoreAndSubmitAsync(line, items[i], grains, services, recordOnLine: false, cancel));

        var stored = outcomes.Where(o => o.Result is not null).Select(o => o.Result!).ToArray();
        var stage = System.Diagnostics.Stopwatch.GetTimestamp();
        await lineGrain.RecordImagesAsync(stored);
        IngestStageClock.Record("api.line-record-batch", stage);
        return Results.Ok(new ImageBatchResult(
            outcomes.Count(o => o.Created),
            outcomes.Count(o => o.Result is not null && !o.Created),
            outcomes.Count(o => o.Problem is not null),
            [.. outcomes.Select((o, i) => o.ToItem(i, UploadValidator.SafeName(items[i].Image.FileName, "image"), IdOf(items[i])))]));
    }

    private static IResult? CheckRequest(string line, HttpRequest request, AnomalyNcdServerOptions options)
    {
        if (LineEndpoints.CheckId(line, "line") is { } badLine)
        {
            return badLine;
        }

        if (request.ContentLength is { } length && length > options.MaxUploadBytes)
        {
            return ApiProblems.TooLarge($"upload of {length} bytes exceeds the limit of {options.MaxUploadBytes} bytes");
        }

        return request.HasFormContentType
            ? null
            : ApiProblems.UnsupportedMediaType($"content type '{request.ContentType}' is not multipart/form-data with an 'image' file");
    }

    /// <summary>The batch's images with their maps, ids and ground truths paired in order, or the problem with the form.</summary>
    private static (List<UploadItem>? Items, IResult? Problem) BatchItems(IFormCollection form, int maxImages)
    {
        var images = form.Files.GetFiles("image");
        var maps = form.Files.GetFiles("map");
        var ids = form["id"];
        var truths = form["groundTruth"];
        if (images.Count == 0)
        {
            return (null, ApiProblems.BadRequest("the form has no 'image' file"));
        }

        if (images.Count > maxImages)
        {
            return (null, ApiProblems.BadRequest($"the batch has {images.Count} images; at most {maxImages} per request"));
        }

        foreach (var (name, count) in new[] { ("map", maps.Count), ("id", ids.Count), ("groundTruth", truths.Count) })
        {
            if (count != 0 && count != images.Count)
            {
                return (null, ApiProblems.BadRequest($"the batch has {images.Count} 'image' files but {count} '{name}' parts: give none or one per image, in the same order"));
            }
        }

        var items = new List<UploadItem>(images.Count);
        for (var i = 0; i < images.Count; i++)
        {
            items.Add(new UploadItem(
                images[i],
                maps.Count == 0 ? null : maps[i],
                ids.Count == 0 ? null : Single(ids[i]),
                truths.Count == 0 ? null : Single(truths[i])));
        }

        return (items, null);
    }

    /// <summary>Item index → index of the earlier item with the same id (two uploads of one id in a batch would race).</summary>
    private static Dictionary<int, int> DuplicateIds(List<UploadItem> items)
    {
        var first = new Dictionary<string, int>(StringComparer.Ordinal);
        var duplicates = new Dictionary<int, int>();
        for (var i = 0; i < items.Count; i++)
        {
            if (!first.TryAdd(IdOf(items[i]), i))
            {
                duplicates[i] = first[IdOf(items[i])];
            }
        }

        return duplicates;
    }

    private static string IdOf(UploadItem item) =>
        item.Id ?? Path.GetFileNameWithoutExtension(UploadValidator.SafeName(item.Image.FileName, "image"));

    /// <summary>
    /// One upload: validated (nothing is stored for a refused one), checked against a stored image of the same id,
    /// stored, and submitted to its image grain, which records it on the line unless a batch does that.
    /// </summary>
    private static async Task<UploadOutcome> StoreAndSubmitAsync(
        string line, UploadItem item, IGrainFactory grains, UploadServices services, bool recordOnLine, CancellationToken cancellationToken)
    {
        try
        {
            return await StoreAndSubmitCoreAsync(line, item, grains, services, recordOnLine, cancellationToken);
        }
        catch (RequestRejectedException rejection) when (!recordOnLine)
        {
            // In a batch the refusal belongs to this item; a single upload lets the problem filter answer it.
            return UploadOutcome.Refused(ApiProblems.FromRejection(rejection));
        }
        catch (AnomalyNcd.Core.Common.InvalidInputException invalid) when (!recordOnLine)
        {
            return UploadOutcome.Refused(ApiProblems.Unprocessable(invalid.Message));
        }
    }

    private static async Task<UploadOutcome> StoreAndSubmitCoreAsync(
        string line, UploadItem item, IGrainFactory grains, UploadServices services, bool recordOnLine, CancellationToken cancellationToken)
    {
        var imageName = UploadValidator.SafeName(item.Image.FileName, "image");
        var id = IdOf(item);
        if (LineEndpoints.CheckId(id, "image") is { } badId)
        {
            return UploadOutcome.Refused(badId);
        }

        var groundTruth = item.GroundTruth;
        if (groundTruth is not null && !GrainKeys.IsValidId(groundTruth))
        {
            return UploadOutcome.Refused(ApiProblems.BadRequest($"groundTruth '{groundTruth}' is not a valid class name: 1–{GrainKeys.MaxIdLength} letters, digits, '-', '_' or '.'"));
        }

        var stage = System.Diagnostics.Stopwatch.GetTimestamp();
        var (upload, problem) = await UploadValidator.ValidateAsync(item.Image, item.Map, services.Options, cancellationToken);
        if (problem is not null)
        {
            return UploadOutcome.Refused(problem);
        }

        IngestStageClock.Record("api.validate", stage);
        var rgb = upload!.Rgb;
        try
        {
            stage = System.Diagnostics.Stopwatch.GetTimestamp();
            var imageGrain = grains.GetGrain<IImageGrain>(GrainKeys.Image(line, id));
            var existing = await imageGrain.GetAsync();
            IngestStageClock.Record("api.existing-check", stage);
            if (existing is not null)
            {
                if (existing.Image.Sha256 != upload.Image.Sha256)
                {
                    return UploadOutcome.Refused(ApiProblems.Conflict($"image '{id}' of line '{line}' already exists with other content (sha256 {existing.Image.Sha256}); {imageName} has sha256 {upload.Image.Sha256}"));
                }

                // A retried upload of the same bytes is not a duplicate. It goes through the grain anyway: the first attempt
                // may have stored the image and then failed before the line recorded it (a silo died in between), and the
                // line records it again. Answering from the stored result alone lost such images.
                var again = new ImageSubmission(existing.Image, existing.Map, existing.Width, existing.Height, imageName, existing.GroundTruthClass);
                return UploadOutcome.Stored(await Submit(imageGrain, again, recordOnLine), created: false);
            }

            stage = System.Diagnostics.Stopwatch.GetTimestamp();
            var imageRef = await PutAsync(services.Store, upload.Image, "image", cancellationToken);
            var mapRef = upload.Map is null ? null : await PutAsync(services.Store, upload.Map, "map", cancellationToken);
            IngestStageClock.Record("api.store-upload", stage);
            if (rgb is not null && mapRef is not null && upload.MapValues is not null)
            {
                // Only now that both are stored: the processor of this process takes these pixels instead of decoding the files.
                services.DecodedUploads.Put(imageRef.Sha256, mapRef.Sha256, rgb, upload.MapValues);
                rgb = null;
            }

            stage = System.Diagnostics.Stopwatch.GetTimestamp();
            var result = await Submit(imageGrain, new ImageSubmission(imageRef, mapRef, upload.Width, upload.Height, imageName, groundTruth), recordOnLine);
            IngestStageClock.Record("api.grain-submit", stage);
            return UploadOutcome.Stored(result, created: true);
        }
        finally
        {
            rgb?.Dispose();
        }
    }

    private static Task<ImageResult> Submit(IImageGrain image, ImageSubmission submission, bool recordOnLine) =>
        recordOnLine ? image.SubmitAsync(submission) : image.SubmitWithoutLineRecordAsync(submission);

    private static async Task<IResult> ListAsync(string line, int? skip, int? take, IGrainFactory grains)
    {
        if (LineEndpoints.CheckId(line, "line") is { } badLine)
        {
            return badLine;
        }

        var from = skip ?? 0;
        var count = take ?? DefaultPageSize;
        if (from < 0 || count < 1 || count > MaxPageSize)
        {
            return ApiProblems.BadRequest($"skip must be ≥ 0 and take between 1 and {MaxPageSize}, got skip={from}, take={count}");
        }

        var ids = await grains.GetGrain<IProductLineGrain>(line).ListImagesAsync(from, count);
        var results = await Task.WhenAll(ids.Select(id => grains.GetGrain<IImageGrain>(GrainKeys.Image(line, id)).GetAsync()));
        return Results.Ok(results.OfType<ImageResult>().ToArray());
    }

    private static async Task<IResult> GetAsync(string line, string id, IGrainFactory grains)
    {
        var (result, problem) = await FindAsync(line, id, grains);
        return problem ?? Results.Ok(result);
    }

    private static async Task<IResult> GetRegionsAsync(string line, string id, IGrainFactory grains)
    {
        var (result, problem) = await FindAsync(line, id, grains);
        if (problem is not null)
        {
            return problem;
        }

        // The region grains hold the latest assignment and operator decision; the image's copy is the fallback.
        var regions = await Task.WhenAll(result!.Regions.Select(async region =>
            await grains.GetGrain<IRegionGrain>(region.Key.GrainKey).GetAsync() ?? region));
        return Results.Ok(regions);
    }

    private static async Task<(ImageResult? Result, IResult? Problem)> FindAsync(string line, string id, IGrainFactory grains)
    {
        var invalid = LineEndpoints.CheckId(line, "line") ?? LineEndpoints.CheckId(id, "image");
        if (invalid is not null)
        {
            return (null, invalid);
        }

        var result = await grains.GetGrain<IImageGrain>(GrainKeys.Image(line, id)).GetAsync();
        return result is null
            ? (null, ApiProblems.NotFound($"image '{id}' of line '{line}' does not exist"))
            : (result, null);
    }

    private static Task<ArtefactRef> PutAsync(IArtefactStore store, CheckedFile file, string kind, CancellationToken cancellationToken) =>
        store.PutAsync(file.Bytes, kind, file.Extension, cancellationToken);

    private static string? Single(string? value) =>
        string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string? Single(StringValues values) =>
        values.Count == 0 || string.IsNullOrWhiteSpace(values[0]) ? null : values[0]!.Trim();
}
