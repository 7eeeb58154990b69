using System.Security.Claims;
using AnomalyNcd.Contracts.Detection;
using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Contracts.Training;
using AnomalyNcd.Silo.Detection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AnomalyNcd.Silo.Api;

/// <summary>
/// What a line learns, as background jobs, and the explicit promotion of what they produce: discovery training (model
/// versions) and the detector fit (detector versions; the detector use cases are <see cref="LineDetectorService"/>'s).
/// </summary>
internal static class TrainingEndpoints
{
    /// <summary>Who is recorded as acting until authentication exists.</summary>
    public const string AnonymousUser = "api";

    public static void Map(RouteGroupBuilder api)
    {
        var line = api.MapGroup("/lines/{line}").WithTags("Training");
        line.MapPost("/training", StartAsync)
            .Produces<TrainingStatus>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        line.MapGet("/training", GetStatusAsync).Produces<TrainingStatus>().ProducesProblem(StatusCodes.Status404NotFound);
        line.MapPost("/models/{version}/promote", PromoteAsync)
            .Produces<ModelVersion>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        MapDetector(api.MapGroup("/lines/{line}").WithTags("Detector"));
    }

    private static void MapDetector(RouteGroupBuilder group)
    {
        group.MapPost("/detector", StartDetectorAsync)
            .Produces<DetectorJobStatus>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/detector", (string line, LineDetectorService detectors) => Checked(line, () => detectors.GetFitAsync(line)))
            .Produces<DetectorJobStatus>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapDelete("/detector", (string line, LineDetectorService detectors) => Checked(line, () => detectors.CancelFitAsync(line)))
            .Produces<DetectorJobStatus>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/detectors", (string line, LineDetectorService detectors) => Checked(line, () => detectors.ListAsync(line)))
            .Produces<LineDetectors>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/detectors/{version}/promote", (string line, string version, ClaimsPrincipal user, LineDetectorService detectors) =>
                LineEndpoints.CheckId(version, "detector version") is { } invalid ? Task.FromResult(invalid) : Checked(line, () => detectors.PromoteAsync(line, version, user)))
            .Produces<DetectorVersion>().ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> StartDetectorAsync(string line, ClaimsPrincipal user, LineDetectorService detectors) =>
        LineEndpoints.CheckId(line, "line")
            ?? Results.Accepted($"{ApiEndpoints.Prefix}/lines/{line}/detector", await detectors.StartFitAsync(line, user));

    /// <summary>400 for a bad line id, else 200 with what <paramref name="use"/> answers (its refusals become problems in <see cref="ProblemFilter"/>).</summary>
    private static async Task<IResult> Checked<T>(string line, Func<Task<T>> use) =>
        LineEndpoints.CheckId(line, "line") ?? Results.Ok(await use());

    private static async Task<IResult> StartAsync(string line, TrainingRequestBody? body, IGrainFactory grains)
    {
        if (await CheckLineAsync(line, grains) is { } problem)
        {
            return problem;
        }

        body ??= new TrainingRequestBody(null, null, null, null);
        if (body.Problem() is { } invalid)
        {
            return ApiProblems.Unprocessable($"training of line '{line}': {invalid}");
        }

        var request = new TrainingRequest(body.ClassCount, body.Epochs ?? TrainingRequestBody.DefaultEpochs, body.Seed ?? 0, body.RequestedBy ?? AnonymousUser);
        var status = await grains.GetGrain<ITrainingGrain>(line).StartAsync(request);
        return Results.Accepted($"{ApiEndpoints.Prefix}/lines/{line}/training", status);
    }

    private static async Task<IResult> GetStatusAsync(string line, IGrainFactory grains) =>
        await CheckLineAsync(line, grains) ?? Results.Ok(await grains.GetGrain<ITrainingGrain>(line).GetStatusAsync());

    private static async Task<IResult> PromoteAsync(string line, string version, IGrainFactory grains)
    {
        var invalid = LineEndpoints.CheckId(line, "line") ?? LineEndpoints.CheckId(version, "model version");
        if (invalid is not null)
        {
            return invalid;
        }

        return Results.Ok(await grains.GetGrain<IProductLineGrain>(line).PromoteAsync(version, AnonymousUser));
    }

    /// <summary>Training grains live on accelerator silos; an unknown line is refused here without activating one.</summary>
    private static async Task<IResult?> CheckLineAsync(string line, IGrainFactory grains)
    {
        if (LineEndpoints.CheckId(line, "line") is { } invalid)
        {
            return invalid;
        }

        return await grains.GetGrain<IProductLineGrain>(line).ExistsAsync()
            ? null
            : ApiProblems.NotFound($"line '{line}' does not exist");
    }
}
