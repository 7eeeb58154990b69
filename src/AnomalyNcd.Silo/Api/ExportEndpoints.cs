using AnomalyNcd.Silo.Export;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace AnomalyNcd.Silo.Api;

/// <summary>
/// <c>GET /api/lines/{line}/export?format=csv|json|coco[&amp;from=ISO&amp;to=ISO]</c>: the line's results as a download
/// (<c>&lt;line&gt;-export.&lt;ext&gt;</c>), streamed as <see cref="LineExport"/> pages through the line. A read: viewers may export.
/// </summary>
internal static class ExportEndpoints
{
    public static void Map(RouteGroupBuilder api) =>
        api.MapGroup("/lines").WithTags("Lines")
            .MapGet("/{line}/export", ExportAsync)
            .Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .ProducesProblem(StatusCodes.Status404NotFound);

    private static async Task<IResult> ExportAsync(string line, string? format, string? from, string? to, IGrainFactory grains)
    {
        if (LineEndpoints.CheckId(line, "line") is { } invalid)
        {
            return invalid;
        }

        var (query, problem) = ExportQuery.Parse(format, from, to);
        if (problem is not null)
        {
            return ApiProblems.BadRequest(problem);
        }

        var export = new LineExport(new GrainLineResults(grains));
        if (!await export.LineExistsAsync(line))
        {
            return ApiProblems.NotFound($"line '{line}' does not exist");
        }

        return new ExportResult(export, line, query!);
    }

    /// <summary>Writes the headers, then streams the body straight to the response.</summary>
    private sealed class ExportResult(LineExport export, string line, ExportQuery query) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            await using var writer = ExportWriters.For(query.Format, response.Body);
            response.ContentType = writer.ContentType;
            response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment")
            {
                FileName = $"{line}-export.{query.Extension}",
            }.ToString();
            response.Headers.CacheControl = "no-store";
            await export.WriteAsync(line, query, writer, httpContext.RequestAborted);
        }
    }
}
