using AnomalyNcd.Dashboard.Components;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace AnomalyNcd.Dashboard.Hosting;

/// <summary>
/// Answers addresses nothing else matches: a browser asking for a page gets the friendly not-found page (404, HTML);
/// the API's own addresses and other methods keep the empty 404 that the host turns into a problem response.
/// </summary>
internal static class NotFoundEndpoint
{
    public static void Map(IEndpointRouteBuilder endpoints) =>
        endpoints.MapFallback("/{**path}", Answer).ExcludeFromDescription();

    internal static bool WantsPage(HttpRequest request) =>
        (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        && !request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase);

    private static IResult Answer(HttpContext http) =>
        WantsPage(http.Request)
            ? new RazorComponentResult<NotFoundDocument> { StatusCode = StatusCodes.Status404NotFound }
            : Results.NotFound();
}
