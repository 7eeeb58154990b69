using System.Globalization;
using System.Threading.RateLimiting;
using AnomalyNcd.Silo.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace AnomalyNcd.Silo.Security;

/// <summary>
/// Token bucket per client on image uploads (<see cref="AnomalyNcdServerOptions.UploadsPerSecondPerClient"/>, burst
/// <see cref="AnomalyNcdServerOptions.UploadBurstPerClient"/>), counted in images: a batch of N images takes N tokens.
/// The client is the API key's name, else the signed-in user, else the remote address; refusals are 429 problem
/// details with Retry-After. The upload handlers ask it themselves (after authorization), because a request's
/// image count is known only once its form is read.
/// </summary>
public sealed class UploadRateLimiting : IDisposable
{
    private readonly AnomalyNcdServerOptions options;
    private readonly PartitionedRateLimiter<string>? limiter;

    public UploadRateLimiting(AnomalyNcdServerOptions options)
    {
        this.options = options;
        if (options.UploadsPerSecondPerClient > 0)
        {
            limiter = PartitionedRateLimiter.Create<string, string>(client => RateLimitPartition.GetTokenBucketLimiter(client, _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = options.UploadBurstPerClient,
                TokensPerPeriod = options.UploadsPerSecondPerClient,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
        }
    }

    /// <summary>Null when the client may upload <paramref name="images"/> more images now, else the 429 to answer.</summary>
    public IResult? TryAcquire(HttpContext context, int images)
    {
        if (limiter is null)
        {
            return null;
        }

        var client = ClientOf(context);
        var permits = Math.Min(Math.Max(images, 1), options.UploadBurstPerClient);
        using var lease = limiter.AttemptAcquire(client, permits);
        if (lease.IsAcquired)
        {
            return null;
        }

        var seconds = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
            : 1;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return Results.Problem(
            statusCode: StatusCodes.Status429TooManyRequests,
            title: "Too many requests",
            detail: $"upload rate of {client} exceeds {options.UploadsPerSecondPerClient} images/s (burst {options.UploadBurstPerClient}); {images} image(s) refused, retry after {seconds} s");
    }

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

    public void Dispose() => limiter?.Dispose();
}

/// <summary>Registers <see cref="UploadRateLimiting"/> as a singleton.</summary>
public static class UploadRateLimitingServiceCollectionExtensions
{
    public static IServiceCollection AddUploadRateLimiting(this IServiceCollection services, AnomalyNcdServerOptions options) =>
        services.AddSingleton(_ => new UploadRateLimiting(options));
}
