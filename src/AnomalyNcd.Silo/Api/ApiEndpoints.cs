using AnomalyNcd.Silo.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AnomalyNcd.Silo.Api;

/// <summary>
/// Maps the whole HTTP API under <c>/api</c> as one group: authorization is required on the group in one place
/// (<see cref="ApiSecurity.RequireApiAccess"/>), and refused requests become RFC 7807 problem details in one filter.
/// </summary>
public static class ApiEndpoints
{
    public const string Prefix = "/api";

    public static RouteGroupBuilder MapAnomalyNcdApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup(Prefix);
        api.AddEndpointFilter<ProblemFilter>();
        api.ProducesProblem(StatusCodes.Status400BadRequest);
        api.ProducesProblem(StatusCodes.Status401Unauthorized);
        api.ProducesProblem(StatusCodes.Status403Forbidden);
        api.RequireApiAccess();
        LineEndpoints.Map(api);
        ImageEndpoints.Map(api);
        TrainingEndpoints.Map(api);
        ArtefactEndpoints.Map(api);
        ExportEndpoints.Map(api);
        AlarmEndpoints.Map(api);
        return api;
    }
}
