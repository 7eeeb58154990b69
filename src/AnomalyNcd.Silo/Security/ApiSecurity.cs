using AnomalyNcd.Silo.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace AnomalyNcd.Silo.Security;

/// <summary>
/// Authentication and authorization of <c>/api</c>. One policy scheme decides per request: a request that presents an
/// API key is judged by the key alone; otherwise the dashboard's sign-in cookie counts (when the dashboard is
/// co-hosted). Challenges and refusals always go to the API key handler, so the API answers 401/403 problem details
/// and never redirects to the login page.
/// </summary>
public static class ApiSecurity
{
    public const string SchemeName = "AnomalyNcd.Api";

    private static readonly HashSet<string> ReadMethods = new(StringComparer.OrdinalIgnoreCase) { "GET", "HEAD", "OPTIONS" };

    public static IServiceCollection AddAnomalyNcdApiSecurity(this IServiceCollection services, AnomalyNcdServerOptions options)
    {
        var cookies = options.EnableDashboard;
        services.AddSingleton(new ApiKeyRing(options.ApiKeys));
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddPolicyScheme(SchemeName, "API key or dashboard sign-in", scheme =>
            {
                scheme.ForwardDefaultSelector = context =>
                    cookies && !ApiKeyAuthenticationHandler.PresentsKey(context.Request)
                        ? CookieAuthenticationDefaults.AuthenticationScheme
                        : ApiKeyAuthenticationHandler.SchemeName;
                scheme.ForwardChallenge = ApiKeyAuthenticationHandler.SchemeName;
                scheme.ForwardForbid = ApiKeyAuthenticationHandler.SchemeName;
            });
        services.AddAuthorizationBuilder()
            .AddPolicy(ApiPolicies.Read, policy => Roles(policy, ApiRoles.Viewer, ApiRoles.Ingest, ApiRoles.Operator, ApiRoles.Admin))
            .AddPolicy(ApiPolicies.Upload, policy => Roles(policy, ApiRoles.Ingest, ApiRoles.Operator, ApiRoles.Admin))
            .AddPolicy(ApiPolicies.Change, policy => Roles(policy, ApiRoles.Operator, ApiRoles.Admin));
        services.AddUploadRateLimiting(options);
        return services;
    }

    /// <summary>
    /// Every endpoint of the group needs <see cref="ApiPolicies.Read"/>; every mutating one (not GET/HEAD/OPTIONS) also
    /// needs <see cref="ApiPolicies.Change"/> unless its own mapping names an API policy (uploads name
    /// <see cref="ApiPolicies.Upload"/>). Applied last, so an endpoint added later is covered without remembering to.
    /// </summary>
    public static RouteGroupBuilder RequireApiAccess(this RouteGroupBuilder api)
    {
        api.RequireAuthorization(ApiPolicies.Read);
        ((IEndpointConventionBuilder)api).Finally(endpoint =>
        {
            var methods = endpoint.Metadata.OfType<IHttpMethodMetadata>().LastOrDefault()?.HttpMethods;
            var mutating = methods is null || methods.Count == 0 || methods.Any(method => !ReadMethods.Contains(method));
            var named = endpoint.Metadata.OfType<IAuthorizeData>().Any(data => data.Policy is ApiPolicies.Upload or ApiPolicies.Change);
            if (mutating && !named)
            {
                endpoint.Metadata.Add(new AuthorizeAttribute(ApiPolicies.Change));
            }
        });
        return api;
    }

    private static void Roles(AuthorizationPolicyBuilder policy, params string[] roles) =>
        policy.AddAuthenticationSchemes(SchemeName).RequireAuthenticatedUser().RequireRole(roles);
}
