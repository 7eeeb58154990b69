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

/// <summary>Images of a line: upload (validated, then stored, then submitted), list, result, regions.</summary>
internal static class ImageEndpoints
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;

    public static void Map(RouteGroupBuilder api)
    {
        var images = api.MapGroup("/lines/{line}/images").WithTags("Images");
        images.MapPost("/", UploadAsync)
            .DisableAntiforgery()
            .RequireAuthorization(Security.ApiPolicies.Upload)
            .RequireRateLimiting(Security.UploadRateLimiting.PolicyName)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .Accepts<IFormFile>("multipart/form-data")
            .Produces<ImageResult>(StatusCodes.Status201Created)
            .Produces<ImageResult>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        images.MapGet("/", ListAsync).Produces<ImageResult[]>().ProducesProblem(StatusCodes.Status404NotFound);
        images.MapGet("/{id}", GetAsync).Produces<ImageResult>().ProducesProblem(StatusCodes.Status404NotFound);
        images.MapGet("/{id}/regions", GetRegionsAsync).Produces<RegionResult[]>().ProducesProblem(StatusCodes.Status404NotFound);
    }

    /// <summary>
    /// multipart/form-data: <c>image</c> (file), optional <c>map</c> (file), optional <c>id</c> (default: the image's
    /// file stem), optional <c>groundTruth</c>. 201 for a new image, 200 when the same bytes were already submitted.
    /// </summary>
    private static async Task<IResult> UploadAsync(
        string line, HttpRequest request, IGrainFactory grains, IArtefactStore store, DecodedUploads decodedUploads, AnomalyNcdServerOptions options, CancellationToken cancellationToken)
    {
        if (LineEndpoints.CheckId(line, "line") is { } badLine)
        {
            return badLine;
        }

        if (request.ContentLength is { } length && length > options.MaxUploadBytes)
        {
            return ApiProblems.TooLarge($"upload of {length} bytes exceeds the limit of {options.MaxUploadBytes} bytes");
        }

        if (!request.HasFormContentType)
        {
            return ApiProblems.UnsupportedMediaType($"content type '{request.ContentType}' is not multipart/form-data with an 'image' file");
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

        var imageName = UploadValidator.SafeName(image.FileName, "image");
        var id = Single(form["id"]) ?? Path.GetFileNameWithoutExtension(imageName);
        if (LineEndpoints.CheckId(id, "image") is { } badId)
        {
            return badId;
        }

        var groundTruth = Single(form["groundTruth"]);
        if (groundTruth is not null && !GrainKeys.IsValidId(groundTruth))
        {
            return ApiProblems.BadRequest($"groundTruth '{groundTruth}' is not a valid class name: 1–{GrainKeys.MaxIdLength} letters, digits, '-', '_' or '.'");
        }

        stage = System.Diagnostics.Stopwatch.GetTimestamp();
        var (upload, problem) = await UploadValidator.ValidateAsync(image, form.Files.GetFile("map"), options, cancellationToken);
        if (problem is not null)
        {
            return problem;
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
                    return ApiProblems.Conflict($"image '{id}' of line '{line}' already exists with other content (sha256 {existing.Image.Sha256}); {imageName} has sha256 {upload.Image.Sha256}");
                }

                // A retried upload of the same bytes is not a duplicate. It goes through the grain anyway: the first attempt
                // may have stored the image and then failed before the line recorded it (a silo died in between), and the
                // grain re-reports a stored image to its line. Answering from the stored result alone lost such images.
                var resubmitted = await imageGrain.SubmitAsync(new ImageSubmission(existing.Image, existing.Map, existing.Width, existing.Height, imageName, existing.GroundTruthClass));
                return Results.Ok(resubmitted);
            }

            stage = System.Diagnostics.Stopwatch.GetTimestamp();
            var imageRef = await PutAsync(store, upload.Image, "image", cancellationToken);
            var mapRef = upload.Map is null ? null : await PutAsync(store, upload.Map, "map", cancellationToken);
            IngestStageClock.Record("api.store-upload", stage);
            if (rgb is not null && mapRef is not null && upload.MapValues is not null)
            {
                // Only now that both are stored: the processor of this process takes these pixels instead of decoding the files.
                decodedUploads.Put(imageRef.Sha256, mapRef.Sha256, rgb, upload.MapValues);
                rgb = null;
            }

            stage = System.Diagnostics.Stopwatch.GetTimestamp();
            var result = await imageGrain.SubmitAsync(new ImageSubmission(imageRef, mapRef, upload.Width, upload.Height, imageName, groundTruth));
            IngestStageClock.Record("api.grain-submit", stage);
            return Results.Created($"{ApiEndpoints.Prefix}/lines/{line}/images/{id}", result);
        }
        finally
        {
            rgb?.Dispose();
        }
    }

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

    private static string? Single(StringValues values) =>
        values.Count == 0 || string.IsNullOrWhiteSpace(values[0]) ? null : values[0]!.Trim();
}
