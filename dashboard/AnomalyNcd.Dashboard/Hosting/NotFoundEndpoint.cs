using AnomalyNcd.Dashboard.Components;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;

namespace AnomalyNcd.Dashboard.Hosting;

/// <summary>
/// Answers page requests (GET, HEAD) for addresses nothing else matches with the friendly not-found page (404, HTML).
/// It is no candidate at all for the API's addresses or other methods, so those keep routing's own answers (404, 405,
/// 415) that the host turns into problem responses.
/// </summary>
internal static class NotFoundEndpoint
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var pattern = RoutePatternFactory.Parse("/{**path}", defaults: null, parameterPolicies: new { path = new OutsideApi() });
        endpoints.Map(pattern, Answer)
            .WithMetadata(new HttpMethodMetadata([HttpMethods.Get, HttpMethods.Head]))
            .WithOrder(int.MaxValue)
            .WithDisplayName("dashboard not-found page")
            .ExcludeFromDescription();
    }

    internal static bool WantsPage(HttpRequest request) =>
        (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) && IsOutsideApi(request.Path);

    private static bool IsOutsideApi(PathString path) => !path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase);

    private static RazorComponentResult<NotFoundDocument> Answer() => new() { StatusCode = StatusCodes.Status404NotFound };

    /// <summary>The catch-all's route constraint: never a candidate for an address under /api.</summary>
    private sealed class OutsideApi : IRouteConstraint
    {
        public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection) =>
            httpContext is null || IsOutsideApi(httpContext.Request.Path);
    }
}
