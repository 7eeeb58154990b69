using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Contracts.Training;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AnomalyNcd.Silo.Api;

/// <summary>Training (discovery) jobs and the explicit promotion of a model version.</summary>
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
    }

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
