using AnomalyNcd.Contracts;
using AnomalyNcd.Core.Common;
using Microsoft.AspNetCore.Http;

namespace AnomalyNcd.Silo.Api;

/// <summary>
/// Turns refusals into problem details: a grain's <see cref="RequestRejectedException"/> by its kind, bad input
/// found by Core readers as 422, and a body over the configured limit (Kestrel or the form reader) as 413.
/// </summary>
internal sealed class ProblemFilter : IEndpointFilter
{
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
    }
}
