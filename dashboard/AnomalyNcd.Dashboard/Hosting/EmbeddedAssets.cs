using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AnomalyNcd.Dashboard.Hosting;

/// <summary>
/// Serves the browser assets embedded in this assembly (MudBlazor's css/js, Plotly.Blazor's js, blazor.web.js, the dashboard's css)
/// at the paths the pages link to. Independent of the host's SDK, environment and working folder.
/// </summary>
internal static class EmbeddedAssets
{
    private const string ResourcePrefix = "DashboardAssets/";

    /// <summary>The site icon; browsers that ask for <c>/favicon.ico</c> without reading the page's link get it too.</summary>
    public const string FaviconPath = "favicon.svg";

    private static readonly Assembly Source = typeof(EmbeddedAssets).Assembly;

    /// <summary>Request path (no leading slash) → embedded resource name.</summary>
    public static IReadOnlyDictionary<string, string> Paths { get; } =
        Source.GetManifestResourceNames()
            .Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .ToDictionary(name => name[ResourcePrefix.Length..], StringComparer.Ordinal);

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        foreach (var (path, resource) in Paths)
        {
            var contentType = ContentTypeOf(path);
            endpoints.MapGet("/" + path, (HttpContext context) => Serve(context, resource, contentType))
                .ExcludeFromDescription();
            if (path == FaviconPath)
            {
                endpoints.MapGet("/favicon.ico", (HttpContext context) => Serve(context, resource, contentType)).ExcludeFromDescription();
            }
        }
    }

    private static async Task Serve(HttpContext context, string resource, string contentType)
    {
        await using var stream = Source.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"embedded asset {resource} is missing from {Source.GetName().Name}");
        context.Response.ContentType = contentType;
        context.Response.ContentLength = stream.Length;
        // Assets change only with a new build; an hour of caching keeps page loads cheap without pinning old files.
        context.Response.Headers.CacheControl = "public, max-age=3600";
        await stream.CopyToAsync(context.Response.Body, context.RequestAborted);
    }

    private static string ContentTypeOf(string path) => Path.GetExtension(path) switch
    {
        ".css" => "text/css; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };
}
