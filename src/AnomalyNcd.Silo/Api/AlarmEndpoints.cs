using System.Security.Claims;
using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Silo.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AnomalyNcd.Silo.Api;

/// <summary>
/// A line's alarms: the active ones and the rules behind them. Every role reads; only an admin changes the rules
/// (anonymous 401, any other role 403), and the change is audited under the admin's name like a class decision.
/// </summary>
internal static class AlarmEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var lines = api.MapGroup("/lines").WithTags("Alarms");
        lines.MapGet("/{line}/alarms", GetAlarmsAsync).Produces<ActiveAlarm[]>().ProducesProblem(StatusCodes.Status404NotFound);
        lines.MapGet("/{line}/alarm-rules", GetRulesAsync).Produces<AlarmRule[]>().ProducesProblem(StatusCodes.Status404NotFound);
        lines.MapPut("/{line}/alarm-rules", PutRulesAsync)
            .RequireAuthorization(policy => policy.AddAuthenticationSchemes(ApiSecurity.SchemeName).RequireAuthenticatedUser().RequireRole(ApiRoles.Admin))
            .Produces<AlarmRule[]>()
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> GetAlarmsAsync(string line, IGrainFactory grains) =>
        LineEndpoints.CheckId(line, "line") ?? Results.Ok(await grains.GetGrain<IProductLineGrain>(line).GetAlarmsAsync());

    private static async Task<IResult> GetRulesAsync(string line, IGrainFactory grains) =>
        LineEndpoints.CheckId(line, "line") ?? Results.Ok(await grains.GetGrain<IProductLineGrain>(line).GetAlarmRulesAsync());

    private static async Task<IResult> PutRulesAsync(string line, AlarmRule[]? rules, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (LineEndpoints.CheckId(line, "line") is { } invalid)
        {
            return invalid;
        }

        if (AlarmRule.Problem(rules) is { } problem)
        {
            return ApiProblems.BadRequest($"line '{line}': {problem}");
        }

        var name = user.Identity?.Name is { Length: > 0 } signedIn ? signedIn : ApiRoles.Admin;
        return Results.Ok(await grains.GetGrain<IProductLineGrain>(line).SetAlarmRulesAsync(rules!, name));
    }
}
