using AnomalyNcd.Contracts;
using AnomalyNcd.Contracts.Images;
using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Contracts.Regions;
using AnomalyNcd.Grains.Processing;
using AnomalyNcd.Silo.Ingest;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
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
        AsUpload(images.MapPost("/", UploadAsync))
            .Accepts<IFormFile>("multipart/form-data")
            .Produces<ImageResult>(StatusCodes.Status201Created)
            .Produces<ImageResult>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        AsUpload(images.MapPost("/batch", UploadBatchAsync))
            .Accepts<IFormFileCollection>("multipart/form-data")
            .Produces<ImageBatchResult>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest);
        images.MapGet("/", ListAsync).Produces<ImageResult[]>().ProducesProblem(StatusCodes.Status404NotFound);
        images.MapGet("/{id}", GetAsync).Produces<ImageResult>().ProducesProblem(StatusCodes.Status404NotFound);
        images.MapGet("/{id}/regions", GetRegionsAsync).Produces<RegionResult[]>().ProducesProblem(StatusCodes.Status404NotFound);
    }

    /// <summary>What the single and the batch upload share: the upload role, no antiforgery (machine clients), and
    /// the refusals of the upload path (unknown line, too large, not an image, rate limit).</summary>
    private static RouteHandlerBuilder AsUpload(RouteHandlerBuilder upload) => upload
        .DisableAntiforgery()
        .RequireAuthorization(Security.ApiPolicies.Upload)
        .ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
        .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
        .ProducesProblem(StatusCodes.Status429TooManyRequests);

    /// <summary>
    /// multipart/form-data: <c>image</c> (file), optional <c>map</c> (file), optional <c>id</c> (default: the image's
    /// file stem), optional <c>groundTruth</c>. 201 for a new image, 200 when the same bytes were already submitted.
    /// With <c>normal=true</c> the image is kept as a normal image for the line's detector, not processed:
    /// <see cref="Contracts.Detection.NormalImageKept"/> with 201 when new, 200 when the same bytes were already kept.
    /// </summary>
    private static async Task<IResult> UploadAsync(
        string line, HttpRequest request, [AsParameters] UploadServices services, CancellationToken cancellationToken)
    {
        if (services.RateLimiting.TryAcquire(request.HttpContext, 1) is { } tooMany)
        {
            return tooMany;
        }

        var ingest = services.Ingest;
        if ((CheckRequest(ingest, line, request) ?? await ingest.CheckLineAsync(line)) is { } refused)
        {
            return refused.ToProblem();
        }

        var stage = System.Diagnostics.Stopwatch.GetTimestamp();
        var form = await request.ReadFormAsync(cancellationToken);
        IngestMetrics.Record(IngestStage.ApiReadForm, stage);
        var image = form.Files.GetFile("image");
        if (image is null)
        {
            return ApiProblems.BadRequest("the form has no 'image' file");
        }

        var item = new UploadItem(image, form.Files.GetFile("map"), Single(form["id"]), Single(form["groundTruth"]));
        var (normal, badFlag) = NormalImageIngest.ParseFlag(Single(form[NormalImageIngest.FormField]));
        if (badFlag is null && !normal && (await services.Normals.MarkedByGroundTruthAsync(line, [item]))[0])
        {
            // The line names this ground truth as normal: the image is for its detector (the label itself is not kept).
            (normal, item) = (true, item with { GroundTruth = null });
        }

        if (badFlag is not null || normal)
        {
            var (kept, refusal) = badFlag is null ? await services.Normals.UploadAsync(line, item, cancellationToken) : (null, badFlag);
            // 201 when newly kept, 200 when these bytes already were, as for other uploads (no resource of its own to locate).
            return refusal?.ToProblem() ?? Results.Json(kept, statusCode: kept!.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
        }

        var outcome = await ingest.UploadAsync(line, item, cancellationToken);
        return outcome switch
        {
            { Refusal: { } refusal } => refusal.ToProblem(),
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
        string line, HttpRequest request, [AsParameters] UploadServices services, CancellationToken cancellationToken)
    {
        var ingest = services.Ingest;
        if ((CheckRequest(ingest, line, request) ?? await ingest.CheckLineAsync(line)) is { } refused)
        {
            return refused.ToProblem();
        }

        var form = await request.ReadFormAsync(cancellationToken);
        if (form.ContainsKey(NormalImageIngest.FormField))
        {
            return ApiProblems.BadRequest($"normal images are uploaded one per request (POST {ApiEndpoints.Prefix}/lines/{line}/images with normal=true), not in a batch");
        }

        var (items, problem) = ingest.PairBatch(new BatchParts(
            form.Files.GetFiles("image"), form.Files.GetFiles("map"), [.. form["id"].Select(Single)], [.. form["groundTruth"].Select(Single)]));
        if (problem is not null)
        {
            return problem.ToProblem();
        }

        if (services.RateLimiting.TryAcquire(request.HttpContext, items!.Count) is { } tooMany)
        {
            return tooMany;
        }

        var normals = await services.Normals.MarkedByGroundTruthAsync(line, items);
        var processed = items.Where((_, i) => !normals[i]).ToList();
        var outcomes = new Queue<UploadOutcome>(processed.Count == 0 ? [] : await ingest.UploadBatchAsync(line, processed, cancellationToken));
        var answers = new ImageBatchItem[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            // Images the line's settings mark as normal by their ground truth are kept for its detector, one by one.
            answers[i] = normals[i]
                ? UploadAnswers.ToItem(await services.Normals.UploadAsync(line, items[i] with { GroundTruth = null }, cancellationToken), i, items[i])
                : outcomes.Dequeue().ToItem(i, items[i]);
        }

        return Results.Ok(new ImageBatchResult(
            answers.Count(a => a.Status == StatusCodes.Status201Created),
            answers.Count(a => a.Status == StatusCodes.Status200OK),
            answers.Count(a => a.Problem is not null),
            answers));
    }

    private static UploadRefusal? CheckRequest(ImageIngest ingest, string line, HttpRequest request) =>
        ingest.CheckRequest(line, request.ContentLength, request.HasFormContentType, request.ContentType);

    /// <summary>Newest first, paged; any of <c>class</c>, <c>status</c>, <c>minConfidence</c>, <c>maxConfidence</c>, <c>from</c>, <c>to</c> filters (<see cref="ImageFilter"/>).</summary>
    private static async Task<IResult> ListAsync(
        string line, int? skip, int? take, IGrainFactory grains,
        [FromQuery(Name = "class")] string? classId = null, string? status = null,
        double? minConfidence = null, double? maxConfidence = null, DateTimeOffset? from = null, DateTimeOffset? to = null)
    {
        if (LineEndpoints.CheckId(line, "line") is { } badLine)
        {
            return badLine;
        }

        var first = skip ?? 0;
        var count = take ?? DefaultPageSize;
        if (first < 0 || count < 1 || count > MaxPageSize)
        {
            return ApiProblems.BadRequest($"skip must be ≥ 0 and take between 1 and {MaxPageSize}, got skip={first}, take={count}");
        }

        var filtering = classId is not null || status is not null || minConfidence is not null || maxConfidence is not null || from is not null || to is not null;
        var parsedStatus = ImageFilterStatus.Any;
        if (status is not null && !(Enum.TryParse(status, ignoreCase: true, out parsedStatus) && Enum.IsDefined(parsedStatus) && !int.TryParse(status, out _)))
        {
            return ApiProblems.BadRequest($"status '{status}' is not one of {string.Join(", ", Enum.GetNames<ImageFilterStatus>())}");
        }

        var filter = new ImageFilter(classId, parsedStatus, minConfidence, maxConfidence, from, to);
        if (filter.Problem(first, count) is { } problem)
        {
            return ApiProblems.BadRequest(problem);
        }

        var lineGrain = grains.GetGrain<IProductLineGrain>(line);
        var ids = filtering
            ? [.. (await lineGrain.QueryImagesAsync(filter, first, count)).Items.Select(i => i.ImageId)]
            : await lineGrain.ListImagesAsync(first, count);
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

    private static string? Single(string? value) =>
        string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string? Single(StringValues values) =>
        values.Count == 0 || string.IsNullOrWhiteSpace(values[0]) ? null : values[0]!.Trim();
}
