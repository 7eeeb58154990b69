using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AnomalyNcd.Silo.Security;

/// <summary>
/// Authenticates machine clients by <c>X-Api-Key: &lt;key&gt;</c> or <c>Authorization: ApiKey &lt;key&gt;</c>, and answers
/// every API challenge (401) and refusal (403) with RFC 7807 problem details instead of a redirect. Keys are never logged.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyRing ring, IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";
    public const string AuthorizationPrefix = "ApiKey ";

    /// <summary>Claim naming the client for rate limiting: <c>key:&lt;name&gt;</c>.</summary>
    public const string ClientClaim = "anomalyncd:client";

    /// <summary>True when the request presents an API key in either header (then the key, not a cookie, decides).</summary>
    public static bool PresentsKey(HttpRequest request) => KeyOf(request) is not null;

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var key = KeyOf(Request);
        if (key is null)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var grant = ring.Find(key);
        if (grant is null)
        {
            Logger.LogInformation("Refused an unknown API key from {Remote}", Context.Connection.RemoteIpAddress);
            return Task.FromResult(AuthenticateResult.Fail("the API key is not recognised"));
        }

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, grant.Name), new Claim(ClaimTypes.Role, grant.Role), new Claim(ClientClaim, $"key:{grant.Name}")],
            SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "ApiKey";
        var detail = PresentsKey(Request)
            ? "the API key is not recognised"
            : $"authentication required: send an API key ({HeaderName}: <key> or Authorization: ApiKey <key>) or sign in to the dashboard";
        await WriteProblemAsync(StatusCodes.Status401Unauthorized, "Unauthorized", detail);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var who = Context.User.Identity?.Name ?? "this client";
        var role = Context.User.FindFirst(ClaimTypes.Role)?.Value ?? "none";
        await WriteProblemAsync(StatusCodes.Status403Forbidden, "Forbidden", $"{who} (role {role}) may not {Request.Method} {Request.Path}");
    }

    private async Task WriteProblemAsync(int status, string title, string detail)
    {
        Response.StatusCode = status;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }

    private static string? KeyOf(HttpRequest request)
    {
        if (request.Headers.TryGetValue(HeaderName, out var header) && header.ToString() is { Length: > 0 } key)
        {
            return key.Trim();
        }

        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith(AuthorizationPrefix, StringComparison.OrdinalIgnoreCase) && authorization.Length > AuthorizationPrefix.Length
            ? authorization[AuthorizationPrefix.Length..].Trim()
            : null;
    }
}
