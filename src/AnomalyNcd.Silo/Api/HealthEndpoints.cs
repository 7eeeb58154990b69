using AnomalyNcd.Grains.Placement;
using AnomalyNcd.Silo.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace AnomalyNcd.Silo.Api;

/// <summary>
/// <c>GET /health</c>: liveness for probes and scripts, outside <c>/api</c> and without authentication. It answers
/// only once the silo has joined the cluster, and reports how many silos the membership counts as active.
/// <c>GET /metrics</c> follows the same rules (a scraper holds no key): the stage histograms and counters in the
/// Prometheus text format, timings and counts only, never line, image or class names.
/// </summary>
public static class HealthEndpoints
{
    public const string Path = "/health";

    public const string MetricsPath = "/metrics";

    public static IEndpointConventionBuilder MapHealth(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet(Path, GetAsync).WithTags("Health").Produces<HealthReport>();

    /// <summary>Creates the exporter now, so it counts from the host's start, and maps <c>/metrics</c>.</summary>
    public static IEndpointConventionBuilder MapMetrics(this IEndpointRouteBuilder endpoints)
    {
        var exporter = endpoints.ServiceProvider.GetRequiredService<PrometheusExporter>();
        return endpoints.MapGet(MetricsPath, () => Results.Text(exporter.Write(), PrometheusExporter.ContentType))
            .WithTags("Health").Produces<string>(StatusCodes.Status200OK, "text/plain");
    }

    private static async Task<IResult> GetAsync(IGrainFactory grains, ILocalSiloDetails silo, ISiloMetadataCache metadata)
    {
        var hosts = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        var accelerator = metadata.GetSiloMetadata(silo.SiloAddress).Metadata.GetValueOrDefault(AcceleratorKinds.MetadataKey, AcceleratorKinds.Cpu);
        return Results.Ok(new HealthReport("ok", silo.SiloAddress.ToString(), accelerator, hosts.Count));
    }
}

/// <summary>Body of <c>GET /health</c>.</summary>
public sealed record HealthReport(string Status, string Silo, string Accelerator, int ActiveSilos);
