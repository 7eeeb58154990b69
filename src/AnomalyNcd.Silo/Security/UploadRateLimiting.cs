using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using AnomalyNcd.Silo.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;

namespace AnomalyNcd.Silo.Security;

/// <summary>
/// Token bucket per client on image uploads (<see cref="AnomalyNcdServerOptions.UploadsPerSecondPerClient"/>, burst
/// <see cref="AnomalyNcdServerOptions.UploadBurstPerClient"/>). The client is the API key's name, else the signed-in
/// user, else the remote address; refusals are 429 problem details with Retry-After.
/// </summary>
public static class UploadRateLimiting
{
    public const string PolicyName = "anomalyncd.uploads";

    public static IServiceCollection AddUploadRateLimiting(this IServiceCollection services, AnomalyNcdServerOptions options) =>
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(PolicyName, context =>
            {
                if (options.UploadsPerSecondPerClient <= 0)
                {
                    return RateLimitPartition.GetNoLimiter("unlimited");
                }

                return RateLimitPartition.GetTokenBucketLimiter(ClientOf(context), _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = options.UploadBurstPerClient,
                    TokensPerPeriod = options.UploadsPerSecondPerClient,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
            limiter.OnRejected = async (rejected, cancellationToken) =>
            {
                var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
                    ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
                    : 1;
                var http = rejected.HttpContext;
                http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails =
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = "Too many requests",
                        Detail = $"upload rate of {ClientOf(http)} exceeds {options.UploadsPerSecondPerClient}/s (burst {options.UploadBurstPerClient}); retry after {seconds} s",
                    },
                });
            };
        });

    /// <summary>The partition key: <c>key:name</c>, <c>user:name</c> or <c>ip:address</c>.</summary>
    public static string ClientOf(HttpContext context)
    {
        var user = context.User;
        if (user.FindFirst(ApiKeyAuthenticationHandler.ClientClaim)?.Value is { } client)
        {
            return client;
        }

        if (user.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name })
        {
            return $"user:{name}";
        }

        return $"ip:{context.Connection.RemoteIpAddress}";
    }
}
