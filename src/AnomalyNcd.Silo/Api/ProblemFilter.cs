using AnomalyNcd.Contracts;
using AnomalyNcd.Core.Common;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AnomalyNcd.Silo.Api;

/// <summary>
/// Turns refusals into problem details: a grain's <see cref="RequestRejectedException"/> by its kind, bad input
/// found by Core readers as 422, and a body over the configured limit (Kestrel or the form reader) as 413; faults that
/// are nobody's mistake as retryable: a full artefact store or disk as 507, and the database or a silo briefly
/// unreachable as 503 with <c>Retry-After</c> (<see cref="FaultClassifier"/>), never as 500.
/// </summary>
internal sealed class ProblemFilter : IEndpointFilter
{
    private static void Log(HttpContext context, Exception fault)
    {
        var logger = context.RequestServices.GetService<ILoggerFactory>()?.CreateLogger<ProblemFilter>();
        logger?.LogWarning(fault, "{Method} {Path} answered 503: {Fault}", context.Request.Method, context.Request.Path, fault.Message);
    }

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (RequestRejectedException rejection)
        {
            return ApiProblems.FromRejection(rejection);
        }
        catch (InvalidInputException invalid)
        {
            return ApiProblems.Unprocessable(invalid.Message);
        }
        catch (BadHttpRequestException bad) when (bad.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return ApiProblems.TooLarge($"request body exceeds the upload limit ({bad.Message})");
        }
        catch (InvalidDataException tooLong) when (tooLong.Message.Contains("limit", StringComparison.OrdinalIgnoreCase))
        {
            // The multipart reader reports its length limits this way.
            return ApiProblems.TooLarge($"request body exceeds the upload limit ({tooLong.Message})");
        }
        catch (BadHttpRequestException bad)
        {
            return ApiProblems.Problem(bad.StatusCode, "Malformed request", bad.Message);
        }
        catch (Exception full) when (FaultClassifier.IsStoreFull(full))
        {
            return ApiProblems.InsufficientStorage($"the artefact store has no room for this upload; nothing was stored ({FaultClassifier.Summary(full)})");
        }
        catch (Exception transient) when (!context.HttpContext.RequestAborted.IsCancellationRequested && FaultClassifier.IsTransient(transient))
        {
            Log(context.HttpContext, transient);
            return ApiProblems.Unavailable($"storage or a silo is briefly unavailable; retry after {ApiProblems.RetryAfterSeconds} s ({FaultClassifier.Summary(transient)})");
        }
    }
}
