using System.Security.Claims;
using AnomalyNcd.Contracts.Detection;
using AnomalyNcd.Silo.Detection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AnomalyNcd.Silo.Api;

/// <summary>A line's detector: fit it (background job), follow or cancel the job, list versions, promote one.</summary>
internal static class DetectorEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var line = api.MapGroup("/lines/{line}").WithTags("Detector");
        line.MapPost("/detector", StartAsync)
            .Produces<DetectorJobStatus>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        line.MapGet("/detector", GetAsync).Produces<DetectorJobStatus>().ProducesProblem(StatusCodes.Status404NotFound);
        line.MapDelete("/detector", CancelAsync).Produces<DetectorJobStatus>().ProducesProblem(StatusCodes.Status404NotFound);
        line.MapGet("/detectors", ListAsync).Produces<LineDetectors>().ProducesProblem(StatusCodes.Status404NotFound);
        line.MapPost("/detectors/{version}/promote", PromoteAsync)
            .Produces<DetectorVersion>()
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> StartAsync(string line, ClaimsPrincipal user, LineDetectorService detectors) =>
        LineEndpoints.CheckId(line, "line")
            ?? Results.Accepted($"{ApiEndpoints.Prefix}/lines/{line}/detector", await detectors.StartFitAsync(line, user));

    private static async Task<IResult> GetAsync(string line, LineDetectorService detectors) =>
        LineEndpoints.CheckId(line, "line") ?? Results.Ok(await detectors.GetFitAsync(line));

    private static async Task<IResult> CancelAsync(string line, LineDetectorService detectors) =>
        LineEndpoints.CheckId(line, "line") ?? Results.Ok(await detectors.CancelFitAsync(line));

    private static async Task<IResult> ListAsync(string line, LineDetectorService detectors) =>
        LineEndpoints.CheckId(line, "line") ?? Results.Ok(await detectors.ListAsync(line));

    private static async Task<IResult> PromoteAsync(string line, string version, ClaimsPrincipal user, LineDetectorService detectors) =>
        LineEndpoints.CheckId(line, "line") ?? LineEndpoints.CheckId(version, "detector version")
            ?? Results.Ok(await detectors.PromoteAsync(line, version, user));
}
