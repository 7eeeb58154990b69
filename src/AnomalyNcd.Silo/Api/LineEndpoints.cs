using AnomalyNcd.Contracts;
using AnomalyNcd.Contracts.Detection;
using AnomalyNcd.Contracts.Lines;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AnomalyNcd.Silo.Api;

/// <summary>Product lines: create, settings, list, summary, class catalogue, re-classification under the promoted model.</summary>
internal static class LineEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var lines = api.MapGroup("/lines").WithTags("Lines");
        lines.MapPost("/", CreateAsync)
            .Produces<LineSummary>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        lines.MapGet("/", ListAsync).Produces<LineSummary[]>();
        lines.MapGet("/{line}", GetAsync).Produces<LineSummary>().ProducesProblem(StatusCodes.Status404NotFound);
        lines.MapPut("/{line}/settings", UpdateSettingsAsync)
            .Produces<LineSummary>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        lines.MapGet("/{line}/classes", GetClassesAsync).Produces<DefectClass[]>().ProducesProblem(StatusCodes.Status404NotFound);
        lines.MapPost("/{line}/reclassify", ReclassifyAsync)
            .Produces<LineReclassification>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<IResult> CreateAsync(CreateLineRequest? request, IGrainFactory grains)
    {
        if (request is null)
        {
            return ApiProblems.BadRequest("a JSON body with the line's id and settings is required");
        }

        if (request.Id is null || !GrainKeys.IsValidId(request.Id))
        {
            return ApiProblems.BadRequest($"line id '{request.Id}' is not valid: 1–{GrainKeys.MaxIdLength} letters, digits, '-', '_' or '.', not starting with '.'");
        }

        if (request.Settings.Problem() is { } problem)
        {
            return ApiProblems.Unprocessable($"line '{request.Id}': {problem}");
        }

        var summary = await grains.GetGrain<IProductLineGrain>(request.Id).CreateAsync(request.Settings.ToSettings());
        return Results.Created($"{ApiEndpoints.Prefix}/lines/{request.Id}", summary);
    }

    private static async Task<IResult> ListAsync(IGrainFactory grains)
    {
        var ids = await grains.GetGrain<ILineDirectoryGrain>(0).ListAsync();
        var summaries = await Task.WhenAll(ids.Select(id => grains.GetGrain<IProductLineGrain>(id).GetSummaryAsync()));
        return Results.Ok(summaries);
    }

    private static async Task<IResult> GetAsync(string line, IGrainFactory grains)
    {
        if (CheckId(line, "line") is { } invalid)
        {
            return invalid;
        }

        var summary = await grains.GetGrain<IProductLineGrain>(line).GetSummaryAsync();
        return Results.Ok(summary with { Detectors = await grains.GetGrain<ILineDetectorGrain>(line).ListAsync() });
    }

    private static async Task<IResult> UpdateSettingsAsync(string line, LineSettingsRequest? request, IGrainFactory grains)
    {
        if (CheckId(line, "line") is { } invalid)
        {
            return invalid;
        }

        if (request is null)
        {
            return ApiProblems.BadRequest("a JSON body with the line's settings is required");
        }

        if (request.Problem() is { } problem)
        {
            return ApiProblems.Unprocessable($"line '{line}': {problem}");
        }

        return Results.Ok(await grains.GetGrain<IProductLineGrain>(line).UpdateSettingsAsync(request.ToSettings()));
    }

    private static async Task<IResult> GetClassesAsync(string line, IGrainFactory grains) =>
        CheckId(line, "line") ?? Results.Ok(await grains.GetGrain<IProductLineGrain>(line).GetClassesAsync());

    /// <summary>
    /// Classifies the line's images that the promoted model has not labelled yet (e.g. after a promotion): a POST, so it
    /// needs the same role as promotion. 404 for an unknown line, 409 when no model is promoted (the grain's NotReady).
    /// </summary>
    private static async Task<IResult> ReclassifyAsync(string line, IGrainFactory grains) =>
        CheckId(line, "line") ?? Results.Ok(await grains.GetGrain<IProductLineGrain>(line).ReclassifyAsync());

    /// <summary>400 for an id no grain could have (so it never becomes a grain key), else null.</summary>
    public static IResult? CheckId(string id, string what) =>
        GrainKeys.IsValidId(id)
            ? null
            : ApiProblems.BadRequest($"{what} id '{id}' is not valid: 1–{GrainKeys.MaxIdLength} letters, digits, '-', '_' or '.', not starting with '.'");
}
