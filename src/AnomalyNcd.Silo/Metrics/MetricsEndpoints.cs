using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace AnomalyNcd.Silo.Metrics;

/// <summary>
/// <c>GET /metrics</c>: the product's stage histograms and counters in the Prometheus text format, for the plant's
/// monitoring. Like <c>/health</c> it lives outside <c>/api</c> and needs no authentication (a scraper holds no key);
/// it tells timings and counts, never line, image or class names.
/// </summary>
public static class MetricsEndpoints
{
    public const string Path = "/metrics";

    /// <summary>Creates the exporter now, so it counts from the host's start, and maps the endpoint.</summary>
    public static IEndpointConventionBuilder MapMetrics(this WebApplication app)
    {
        var exporter = app.Services.GetRequiredService<PrometheusExporter>();
        return app.MapGet(Path, () => Results.Text(exporter.Write(), PrometheusExporter.ContentType)).WithTags("Health").Produces<string>(StatusCodes.Status200OK, "text/plain");
    }
}
